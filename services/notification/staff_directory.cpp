#include "staff_directory.h"

#include <array>

#include "gridcare/config/json_reader.h"

namespace gridcare::notification {
namespace {

constexpr std::array<std::string_view, 2> kTopKeys = {"note", "staff"};
constexpr std::array<std::string_view, 5> kEntryKeys = {"id", "name", "messenger", "email",
                                                        "language"};

core::Result<std::string> OptionalString(const config::JsonReader& reader,
                                         const nlohmann::json& entry, std::string_view key,
                                         const std::string& path) {
  const auto it = entry.find(key);
  if (it == entry.end()) return std::string();
  return reader.String(*it, path + "." + std::string(key));
}

core::Result<Recipient> ReadEntry(const config::JsonReader& reader, const nlohmann::json& entry,
                                  const std::string& path) {
  if (!entry.is_object()) return reader.Error(path + " must be an object");
  if (auto status = reader.RejectUnknownKeys(entry, kEntryKeys, path); !status) {
    return status.error();
  }
  Recipient staff;
  staff.kind = v1::RECIPIENT_KIND_STAFF;
  staff.reach.staff = true;
  auto id = OptionalString(reader, entry, "id", path);
  if (!id) return id.error();
  if (id->empty()) return reader.Error(path + ": \"id\" is required");
  staff.id = *id;
  auto name = OptionalString(reader, entry, "name", path);
  if (!name) return name.error();
  staff.display_name = *name;
  auto messenger = OptionalString(reader, entry, "messenger", path);
  if (!messenger) return messenger.error();
  auto email = OptionalString(reader, entry, "email", path);
  if (!email) return email.error();
  if (messenger->empty() && email->empty()) {
    return reader.Error(path + " (\"" + staff.id + "\"): give a messenger id or an email");
  }
  if (!messenger->empty()) {
    staff.reach.has_staff_messenger = true;
    staff.addresses[DeliveryChannel::kStaffMessenger] = *messenger;
  }
  if (!email->empty()) {
    staff.reach.has_email = true;
    staff.addresses[DeliveryChannel::kEmail] = *email;
  }
  auto language = OptionalString(reader, entry, "language", path);
  if (!language) return language.error();
  if (language->empty() || *language == "zh-CN") {
    staff.language = v1::LANGUAGE_ZH_CN;
  } else if (*language == "en") {
    staff.language = v1::LANGUAGE_EN;
  } else {
    return reader.Error(path + ".language must be \"zh-CN\" or \"en\", got \"" + *language + "\"");
  }
  return staff;
}

}  // namespace

core::Result<StaffDirectory> StaffDirectory::FromJson(std::string_view json) {
  const config::JsonReader reader("staff contacts");
  auto root = reader.ParseObject(json);
  if (!root) return root.error();
  if (auto status = reader.RejectUnknownKeys(*root, kTopKeys); !status) return status.error();
  const auto list = root->find("staff");
  if (list == root->end() || !list->is_array()) {
    return reader.Error("\"staff\" must be an array");
  }
  StaffDirectory directory;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string path = "staff[" + std::to_string(i) + "]";
    auto staff = ReadEntry(reader, (*list)[i], path);
    if (!staff) return staff.error();
    const std::string id = staff->id;
    if (!directory.staff_.emplace(id, std::move(*staff)).second) {
      return reader.Error(path + ": id \"" + id + "\" given twice");
    }
  }
  return directory;
}

std::optional<Recipient> StaffDirectory::Find(std::string_view staff_id) const {
  const auto found = staff_.find(staff_id);
  if (found == staff_.end()) return std::nullopt;
  return found->second;
}

}  // namespace gridcare::notification
