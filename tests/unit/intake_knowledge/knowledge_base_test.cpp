// Loading, validation errors and the service-application document lists.
#include "knowledge_base.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace gridcare::intake {
namespace {

using nlohmann::json;

const std::string kRealPath =
    std::string(GRIDCARE_SOURCE_DIR) + "/services/intake/config/knowledge_base.json";

json MinimalArticle(const std::string& id) {
  return {{"id", id},
          {"questions", {{"zh", {"怎么交电费"}}, {"en", {"How do I pay my bill?"}}}},
          {"answer", {{"zh", "答案"}, {"en", "Answer"}}}};
}

json Minimal() {
  return {{"articles", json::array({MinimalArticle("pay-bill")})},
          {"required_documents",
           json::array({{{"kind", "NEW_CONNECTION"},
                         {"documents", json::array({{{"zh", "身份证"}, {"en", "ID card"}}})}}})}};
}

std::string LoadError(const json& document) {
  auto loaded = KnowledgeBase::FromJson(document.dump());
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == core::ErrorKind::kInvalidArgument);
  return loaded.error().message;
}

bool HasHan(const std::string& text) {
  // Any 3-byte UTF-8 sequence in U+4E00..U+9FFF starts with 0xE4..0xE9.
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0xE4 && byte <= 0xE9) return true;
  }
  return false;
}

TEST_CASE("a minimal knowledge base loads and answers its own question") {
  auto loaded = KnowledgeBase::FromJson(Minimal().dump());
  REQUIRE(loaded.ok());
  CHECK(loaded->article_count() == 1);
  auto answer = loaded->Answer("怎么交电费？", v1::LANGUAGE_ZH_CN);
  REQUIRE(answer.has_value());
  CHECK(answer->article_id == "pay-bill");
  CHECK(answer->answer.zh_cn() == "答案");
  CHECK(answer->answer.en() == "Answer");
  CHECK(answer->confidence > 0.6);
  CHECK(answer->confidence <= 1.0);
}

TEST_CASE("JSON errors name the offending entry") {
  SECTION("not JSON") {
    auto loaded = KnowledgeBase::FromJson("{ \"articles\": [ ");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().kind == core::ErrorKind::kInvalidArgument);
    CHECK_THAT(loaded.error().message, Catch::Contains("not valid JSON"));
  }
  SECTION("not an object") {
    CHECK_THAT(LoadError(json::array()), Catch::Contains("must be a JSON object"));
  }
  SECTION("articles missing") {
    json document = Minimal();
    document.erase("articles");
    CHECK_THAT(LoadError(document), Catch::Contains("articles: missing"));
  }
  SECTION("unknown top-level key") {
    json document = Minimal();
    document["artikles"] = json::array();
    CHECK_THAT(LoadError(document), Catch::Contains("unknown key \"artikles\""));
  }
  SECTION("missing en answer") {
    json document = Minimal();
    document["articles"][0]["answer"].erase("en");
    const std::string message = LoadError(document);
    CHECK_THAT(message, Catch::Contains("articles[0] (\"pay-bill\").answer.en"));
    CHECK_THAT(message, Catch::Contains("missing or empty"));
  }
  SECTION("empty zh answer") {
    json document = Minimal();
    document["articles"][0]["answer"]["zh"] = "  ";
    CHECK_THAT(LoadError(document),
               Catch::Contains("articles[0] (\"pay-bill\").answer.zh: missing or empty"));
  }
  SECTION("duplicate id") {
    json document = Minimal();
    document["articles"].push_back(MinimalArticle("tariff"));
    document["articles"].push_back(MinimalArticle("pay-bill"));
    const std::string message = LoadError(document);
    CHECK_THAT(message, Catch::Contains("articles[2] (\"pay-bill\")"));
    CHECK_THAT(message, Catch::Contains("duplicate id, also articles[0]"));
  }
  SECTION("missing or bad id") {
    json document = Minimal();
    document["articles"][0]["id"] = "pay bill!";
    CHECK_THAT(LoadError(document), Catch::Contains("articles[0].id"));
  }
  SECTION("no English phrasings") {
    json document = Minimal();
    document["articles"][0]["questions"]["en"] = json::array();
    CHECK_THAT(
        LoadError(document),
        Catch::Contains("articles[0] (\"pay-bill\").questions.en: must be a non-empty array"));
  }
  SECTION("phrasing with nothing to match") {
    json document = Minimal();
    document["articles"][0]["questions"]["zh"].push_back("？！……");
    CHECK_THAT(
        LoadError(document),
        Catch::Contains("articles[0] (\"pay-bill\").questions.zh[1]: nothing left to match"));
  }
  SECTION("misspelt article key") {
    json document = Minimal();
    document["articles"][0]["anwser"] = "x";
    CHECK_THAT(LoadError(document),
               Catch::Contains("articles[0] (\"pay-bill\"): unknown key \"anwser\""));
  }
  SECTION("unknown application kind") {
    json document = Minimal();
    document["required_documents"][0]["kind"] = "NEW_CONECTION";
    const std::string message = LoadError(document);
    CHECK_THAT(message, Catch::Contains("required_documents[0].kind"));
    CHECK_THAT(message, Catch::Contains("unknown application kind \"NEW_CONECTION\""));
  }
  SECTION("UNSPECIFIED is not a kind") {
    json document = Minimal();
    document["required_documents"][0]["kind"] = "UNSPECIFIED";
    CHECK_THAT(LoadError(document), Catch::Contains("unknown application kind"));
  }
  SECTION("unknown account type") {
    json document = Minimal();
    document["required_documents"][0]["account_types"] = {"RESIDENTAL"};
    CHECK_THAT(LoadError(document),
               Catch::Contains("required_documents[0] (NEW_CONNECTION).account_types[0]: unknown "
                               "account type \"RESIDENTAL\""));
  }
  SECTION("the same list twice") {
    json document = Minimal();
    document["required_documents"][0]["account_types"] = {"COMMERCIAL"};
    document["required_documents"].push_back(document["required_documents"][0]);
    document["required_documents"][1]["account_types"] = {"INDUSTRIAL", "ACCOUNT_TYPE_COMMERCIAL"};
    CHECK_THAT(
        LoadError(document),
        Catch::Contains("required_documents[1] (NEW_CONNECTION): account type "
                        "ACCOUNT_TYPE_COMMERCIAL is already configured by required_documents[0]"));
  }
  SECTION("document without English") {
    json document = Minimal();
    document["required_documents"][0]["documents"][0].erase("en");
    CHECK_THAT(LoadError(document),
               Catch::Contains(
                   "required_documents[0] (NEW_CONNECTION).documents[0].en: missing or empty"));
  }
  SECTION("empty document list") {
    json document = Minimal();
    document["required_documents"][0]["documents"] = json::array();
    CHECK_THAT(
        LoadError(document),
        Catch::Contains("required_documents[0] (NEW_CONNECTION).documents: missing or empty"));
  }
  SECTION("a synonym mapped to two canonical words") {
    json document = Minimal();
    document["synonyms"] = {{"zh", {{"交", {"缴纳"}}, {"付", {"缴纳"}}}}};
    CHECK_THAT(LoadError(document),
               Catch::Contains("\"缴纳\" is already configured by synonyms.zh[\"交\"][0]"));
  }
  SECTION("a Chinese synonym that is not Chinese") {
    json document = Minimal();
    document["synonyms"] = {{"zh", {{"手机", {"app"}}}}};
    CHECK_THAT(LoadError(document),
               Catch::Contains("synonyms.zh[\"手机\"][0]: must be Chinese characters only"));
  }
  SECTION("English synonym chains are refused") {
    json document = Minimal();
    document["synonyms"] = {{"en", {{"pay", {"settle"}}, {"settle", {"clear"}}}}};
    CHECK_THAT(LoadError(document), Catch::Contains("no chains"));
  }
  SECTION("min_confidence out of range") {
    auto loaded = KnowledgeBase::FromJson(Minimal().dump(), {.min_confidence = 1.5});
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.error().message, Catch::Contains("min_confidence"));
  }
}

TEST_CASE("out_of_scope terms stop an answer, synonyms and stop words are validated") {
  json document = Minimal();
  document["out_of_scope"] = {{"zh", {"水费"}}, {"en", {"water bill"}}};
  auto loaded = KnowledgeBase::FromJson(document.dump());
  REQUIRE(loaded.ok());
  CHECK(loaded->Answer("怎么交电费", v1::LANGUAGE_ZH_CN).has_value());
  CHECK_FALSE(loaded->Answer("怎么交水费电费", v1::LANGUAGE_ZH_CN).has_value());
  CHECK(loaded->Answer("How do I pay my bill?", v1::LANGUAGE_EN).has_value());
  CHECK_FALSE(loaded->Answer("How do I pay my water bills?", v1::LANGUAGE_EN).has_value());

  document["out_of_scope"] = {{"en", {"the"}}};
  document["stop_words"] = {{"en", {"the"}}};
  CHECK_THAT(LoadError(document),
             Catch::Contains("out_of_scope: \"the\" has nothing left to match"));

  json stop = Minimal();
  stop["synonyms"] = {{"zh", {{"交", {"缴纳"}}}}};
  stop["stop_words"] = {{"zh", {"缴纳"}}};
  CHECK_THAT(LoadError(stop),
             Catch::Contains("stop_words.zh[0]: \"缴纳\" is rewritten by synonyms.zh"));
  stop["stop_words"] = {{"fr", {"le"}}};
  CHECK_THAT(LoadError(stop), Catch::Contains("stop_words: unknown language \"fr\""));
}

TEST_CASE("full enum names are accepted as well as short ones") {
  json document = Minimal();
  document["required_documents"].push_back(
      {{"kind", "SERVICE_APPLICATION_KIND_METER_CHECK"},
       {"account_types", {"ACCOUNT_TYPE_COMMERCIAL"}},
       {"documents", json::array({{{"zh", "营业执照"}, {"en", "Business licence"}}})}});
  auto loaded = KnowledgeBase::FromJson(document.dump());
  REQUIRE(loaded.ok());
  auto documents = loaded->RequiredDocuments(v1::SERVICE_APPLICATION_KIND_METER_CHECK,
                                             v1::ACCOUNT_TYPE_COMMERCIAL);
  REQUIRE(documents.size() == 1);
  CHECK(documents[0].en() == "Business licence");
  // No default list for METER_CHECK here, so other account types get nothing.
  CHECK(loaded
            ->RequiredDocuments(v1::SERVICE_APPLICATION_KIND_METER_CHECK,
                                v1::ACCOUNT_TYPE_RESIDENTIAL)
            .empty());
  CHECK(loaded
            ->RequiredDocuments(v1::SERVICE_APPLICATION_KIND_TEMPORARY_SUPPLY,
                                v1::ACCOUNT_TYPE_RESIDENTIAL)
            .empty());
  // The kind's default list serves every account type without its own.
  CHECK(loaded
            ->RequiredDocuments(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION,
                                v1::ACCOUNT_TYPE_INDUSTRIAL)
            .size() == 1);
}

TEST_CASE("FromFile reports an unreadable path as NOT_FOUND and prefixes errors with the path") {
  auto missing = KnowledgeBase::FromFile("/nonexistent/knowledge_base.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == core::ErrorKind::kNotFound);
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/knowledge_base.json"));
}

TEST_CASE("the shipped knowledge base loads") {
  auto loaded = KnowledgeBase::FromFile(kRealPath);
  INFO((loaded.ok() ? std::string() : loaded.error().ToString()));
  REQUIRE(loaded.ok());
  CHECK(loaded->article_count() >= 25);
}

TEST_CASE("every application kind has a document list in both languages for every account type") {
  auto loaded = KnowledgeBase::FromFile(kRealPath);
  REQUIRE(loaded.ok());
  const auto* kinds = v1::ServiceApplicationKind_descriptor();
  const auto* types = v1::AccountType_descriptor();
  for (int k = 0; k < kinds->value_count(); ++k) {
    const auto kind = static_cast<v1::ServiceApplicationKind>(kinds->value(k)->number());
    for (int t = 0; t < types->value_count(); ++t) {
      const auto type = static_cast<v1::AccountType>(types->value(t)->number());
      const auto documents = loaded->RequiredDocuments(kind, type);
      INFO(v1::ServiceApplicationKind_Name(kind) << " / " << v1::AccountType_Name(type));
      if (kind == v1::SERVICE_APPLICATION_KIND_UNSPECIFIED) {
        CHECK(documents.empty());
        continue;
      }
      REQUIRE_FALSE(documents.empty());
      for (const auto& document : documents) {
        CHECK(HasHan(document.zh_cn()));
        CHECK_FALSE(document.en().empty());
        CHECK_FALSE(HasHan(document.en()));
      }
    }
  }
}

TEST_CASE("document lists differ where residential and business applicants differ") {
  auto loaded = KnowledgeBase::FromFile(kRealPath);
  REQUIRE(loaded.ok());
  auto joined = [&](v1::ServiceApplicationKind kind, v1::AccountType type, bool zh) {
    std::string all;
    for (const auto& document : loaded->RequiredDocuments(kind, type))
      all += (zh ? document.zh_cn() : document.en()) + "\n";
    return all;
  };
  const std::string residential_zh =
      joined(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::ACCOUNT_TYPE_RESIDENTIAL, true);
  CHECK_THAT(residential_zh, Catch::Contains("身份证") && Catch::Contains("产权"));
  CHECK_THAT(residential_zh, !Catch::Contains("营业执照"));
  const std::string residential_en =
      joined(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::ACCOUNT_TYPE_RESIDENTIAL, false);
  CHECK_THAT(residential_en, Catch::Contains("ID") && Catch::Contains("property"));
  // Unknown account type: the default (residential) list.
  CHECK(joined(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, v1::ACCOUNT_TYPE_UNSPECIFIED, true) ==
        residential_zh);

  for (auto type : {v1::ACCOUNT_TYPE_COMMERCIAL, v1::ACCOUNT_TYPE_INDUSTRIAL}) {
    const std::string business_zh = joined(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, type, true);
    CHECK_THAT(business_zh, Catch::Contains("营业执照") && Catch::Contains("法定代表人") &&
                                Catch::Contains("用电设备清单"));
    const std::string business_en =
        joined(v1::SERVICE_APPLICATION_KIND_NEW_CONNECTION, type, false);
    CHECK_THAT(business_en, Catch::Contains("Business licence") &&
                                Catch::Contains("legal representative") && Catch::Contains("load"));
  }
  const std::string transfer =
      joined(v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER, v1::ACCOUNT_TYPE_RESIDENTIAL, false);
  CHECK_THAT(transfer, Catch::Contains("both the current and the new account holder") &&
                           Catch::Contains("change of ownership"));
  CHECK_THAT(
      joined(v1::SERVICE_APPLICATION_KIND_ACCOUNT_TRANSFER, v1::ACCOUNT_TYPE_RESIDENTIAL, true),
      Catch::Contains("原户主和新户主"));
}

}  // namespace
}  // namespace gridcare::intake
