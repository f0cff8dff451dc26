#include "names.h"

#include <array>
#include <string_view>

namespace gridcare::synth::internal {
namespace {

// First and second characters of place names. Combinations are fictional by construction, though
// a few will coincide with real places, as they would in any plausible list.
constexpr std::array<std::string_view, 64> kPlaceHead = {
    "天", "云", "龙", "凤", "金", "银", "东", "西", "南", "北", "新", "宝", "石", "松", "青", "白",
    "黄", "红", "清", "安", "平", "永", "长", "广", "华", "兴", "和", "泰", "福", "德", "明", "嘉",
    "瑞", "祥", "林", "竹", "梅", "桃", "荔", "榕", "江", "海", "湖", "溪", "鹤", "鹿", "马", "花",
    "桂", "兰", "莲", "大", "小", "上", "下", "中", "古", "高", "文", "仁", "凉", "碧", "丹", "翠"};
constexpr std::array<std::string_view, 40> kPlaceTail = {
    "河", "山", "湖", "江", "溪", "岭", "岗", "塘", "洲", "城", "桥", "田", "坪", "源",
    "水", "峰", "林", "湾", "港", "口", "头", "埔", "圩", "坝", "园", "庄", "沙", "浦",
    "冈", "岩", "阳", "丰", "宁", "乐", "盛", "陂", "坑", "滘", "涌", "屯"};

constexpr std::array<std::string_view, 14> kStreetSuffix = {"路",   "街",   "大道", "东路", "西路",
                                                            "南路", "北路", "一路", "二路", "中路",
                                                            "大街", "横路", "直街", "新街"};

// Common surnames with rough relative frequencies (per 10,000).
struct WeightedName {
  std::string_view name;
  int weight;
};
constexpr std::array<WeightedName, 100> kSurnames = {{
    {"王", 720}, {"李", 710}, {"张", 660}, {"刘", 540}, {"陈", 460}, {"杨", 320}, {"黄", 250},
    {"赵", 220}, {"吴", 210}, {"周", 200}, {"徐", 170}, {"孙", 150}, {"马", 150}, {"朱", 140},
    {"胡", 130}, {"郭", 120}, {"何", 120}, {"林", 115}, {"罗", 110}, {"高", 110}, {"郑", 100},
    {"梁", 100}, {"谢", 90},  {"宋", 85},  {"唐", 85},  {"许", 80},  {"韩", 75},  {"冯", 75},
    {"邓", 75},  {"曹", 70},  {"彭", 70},  {"曾", 65},  {"肖", 65},  {"田", 60},  {"董", 60},
    {"袁", 55},  {"潘", 55},  {"于", 55},  {"蒋", 55},  {"蔡", 55},  {"余", 55},  {"杜", 50},
    {"叶", 50},  {"程", 50},  {"苏", 45},  {"魏", 45},  {"吕", 45},  {"丁", 45},  {"任", 40},
    {"沈", 40},  {"姚", 40},  {"卢", 40},  {"姜", 40},  {"崔", 35},  {"钟", 35},  {"谭", 35},
    {"陆", 35},  {"汪", 35},  {"范", 35},  {"金", 30},  {"石", 30},  {"廖", 30},  {"贾", 30},
    {"夏", 30},  {"韦", 30},  {"付", 30},  {"方", 30},  {"白", 28},  {"邹", 28},  {"孟", 28},
    {"熊", 28},  {"秦", 28},  {"邱", 28},  {"江", 27},  {"尹", 27},  {"薛", 25},  {"闫", 25},
    {"段", 25},  {"雷", 25},  {"侯", 24},  {"龙", 24},  {"史", 24},  {"陶", 23},  {"黎", 23},
    {"贺", 22},  {"顾", 22},  {"毛", 22},  {"郝", 21},  {"龚", 21},  {"邵", 21},  {"万", 20},
    {"钱", 20},  {"严", 20},  {"覃", 20},  {"武", 19},  {"戴", 19},  {"莫", 19},  {"孔", 18},
    {"欧阳", 8}, {"司马", 2},
}};

constexpr std::array<int, kSurnames.size()> CumulativeSurnameWeights() {
  std::array<int, kSurnames.size()> out{};
  int total = 0;
  for (size_t i = 0; i < kSurnames.size(); ++i) {
    total += kSurnames[i].weight;
    out[i] = total;
  }
  return out;
}
constexpr auto kSurnameCumulative = CumulativeSurnameWeights();

constexpr std::array<std::string_view, 120> kGivenChars = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "霞", "平", "刚", "华", "建", "国", "文", "辉", "玲", "萍", "红", "鹏", "飞",
    "斌", "宇", "浩", "凯", "秀", "英", "兰", "桂", "梅", "琳", "雪", "晶", "婷", "颖", "欣",
    "怡", "佳", "嘉", "子", "梓", "涵", "轩", "睿", "博", "思", "雨", "晨", "阳", "俊", "峰",
    "志", "海", "波", "亮", "林", "东", "春", "秋", "冬", "晓", "丹", "倩", "慧", "琴", "燕",
    "荣", "德", "庆", "福", "生", "祥", "学", "成", "永", "光", "清", "金", "玉", "珍", "莉",
    "欢", "乐", "宁", "安", "家", "铭", "泽", "宏", "新", "晖", "启", "立", "彬", "璐", "诗",
    "蕾", "薇", "婉", "月", "星", "川", "松", "柏", "森", "锦", "瑶", "楠", "航", "远", "达"};

constexpr std::array<std::string_view, 30> kTradeHead = {
    "兴", "宏", "鑫", "永", "金", "恒", "隆", "富", "顺", "广", "华", "泰", "盛", "新", "创",
    "佳", "美", "好", "旺", "利", "达", "源", "丰", "康", "吉", "祥", "瑞", "嘉", "和", "诚"};
constexpr std::array<std::string_view, 24> kTradeTail = {
    "发", "达", "源", "盛", "利", "通", "康", "信", "丰", "昌", "荣", "记",
    "福", "泰", "安", "华", "成", "业", "辉", "鸿", "益", "润", "宝", "兴"};
constexpr std::array<std::string_view, 22> kShopKind = {
    "便利店",           "超市",       "餐厅",   "五金店", "药房",   "酒店",
    "汽车维修店",       "理发店",     "茶楼",   "烧腊店", "服装店", "商贸有限公司",
    "物业管理有限公司", "通信营业厅", "幼儿园", "诊所",   "面包店", "水果店",
    "洗衣店",           "电器行",     "粮油店", "建材店"};
constexpr std::array<std::string_view, 16> kIndustry = {
    "机械", "电子", "塑胶", "五金制品", "纺织", "食品", "建材", "化工",
    "陶瓷", "家具", "印刷", "包装",     "钢构", "模具", "服装", "制药"};
constexpr std::array<std::string_view, 5> kCompanySuffix = {"有限公司", "制造有限公司", "厂",
                                                            "实业有限公司", "科技有限公司"};
constexpr std::array<std::string_view, 9> kFarmKind = {"养殖场", "种植专业合作社", "农场",
                                                       "果园",   "茶场",           "水产养殖场",
                                                       "排灌站", "蔬菜基地",       "家庭农场"};
constexpr std::array<std::string_view, 12> kInstitution = {
    "人民医院",   "中医院",   "自来水厂",   "污水处理厂", "第一中学",   "政务服务中心",
    "通信枢纽楼", "数据中心", "燃气调压站", "妇幼保健院", "消防救援站", "客运站"};

constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                      "五", "六", "七", "八", "九"};

void Append(std::string& out, std::string_view part) { out.append(part.data(), part.size()); }

}  // namespace

std::string PlaceStem(Rng& rng) {
  const auto head = rng.Pick(kPlaceHead);
  auto tail = rng.Pick(kPlaceTail);
  while (tail == head) tail = rng.Pick(kPlaceTail);  // no 林林 or 华华
  std::string out(head);
  Append(out, tail);
  return out;
}

std::string UniquePlaceStem(Rng& rng, std::unordered_set<std::string>& used) {
  for (int attempt = 0; attempt < 64; ++attempt) {
    auto stem = PlaceStem(rng);
    if (used.insert(stem).second) return stem;
  }
  // The two-character space is nearly used up: three characters never run out in practice.
  for (;;) {
    auto stem = PlaceStem(rng);
    Append(stem, rng.Pick(kPlaceTail));
    if (used.insert(stem).second) return stem;
  }
}

std::string StreetName(Rng& rng) {
  auto out = PlaceStem(rng);
  Append(out, rng.Pick(kStreetSuffix));
  return out;
}

std::string_view Surname(uint64_t bits) {
  return kSurnames[PickWeighted(bits, kSurnameCumulative)].name;
}

void AppendGivenName(Rng& rng, std::string& out) {
  Append(out, rng.Pick(kGivenChars));
  if (rng.Chance(0.72)) Append(out, rng.Pick(kGivenChars));
}

void AppendShopName(Rng& rng, std::string& out) {
  Append(out, rng.Pick(kTradeHead));
  Append(out, rng.Pick(kTradeTail));
  Append(out, rng.Pick(kShopKind));
}

void AppendCompanyName(Rng& rng, std::string& out) {
  Append(out, rng.Pick(kTradeHead));
  Append(out, rng.Pick(kTradeTail));
  Append(out, rng.Pick(kIndustry));
  Append(out, rng.Pick(kCompanySuffix));
}

void AppendFarmName(Rng& rng, std::string& out) {
  out += PlaceStem(rng);
  Append(out, rng.Pick(kFarmKind));
}

void AppendInstitutionName(Rng& rng, const std::string& place, std::string& out) {
  out += place;
  Append(out, rng.Pick(kInstitution));
}

std::string ChineseNumeral(int n) {
  std::string out;
  if (n <= 0 || n >= 100) return std::to_string(n);
  const int tens = n / 10;
  const int units = n % 10;
  if (tens > 1) Append(out, kDigits[tens]);
  if (tens > 0) out += "十";
  if (units > 0) Append(out, kDigits[units]);
  return out;
}

}  // namespace gridcare::synth::internal
