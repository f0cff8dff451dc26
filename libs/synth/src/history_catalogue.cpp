// The default request history: what a 95598 centre hears, by category, in both languages.
// Rates are per district of weight 1 (about 21 contacts an hour over all categories, some 500 a
// day); profiles are typical of a utility call centre (morning and afternoon peaks; fault calls
// flatter, with an evening peak when cooking and air conditioning load the network).

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gridcare/synth/history.h"
#include "gridcare/synth/utility.h"
#include "random.h"

namespace gridcare::synth {
namespace {

const std::vector<double> kDaily = {0.25, 0.15, 0.10, 0.08, 0.08, 0.15, 0.35, 0.70,
                                    1.30, 1.75, 1.85, 1.70, 1.25, 1.30, 1.60, 1.65,
                                    1.55, 1.35, 1.10, 1.05, 1.00, 0.85, 0.60, 0.40};
const std::vector<double> kFaultDaily = {0.55, 0.45, 0.40, 0.35, 0.35, 0.45, 0.70, 0.90,
                                         1.10, 1.20, 1.25, 1.25, 1.20, 1.15, 1.20, 1.25,
                                         1.30, 1.45, 1.60, 1.65, 1.50, 1.20, 0.90, 0.70};
const std::vector<double> kWeekly = {1.15, 1.05, 1.00, 1.00, 1.00, 0.85, 0.80};

HistoryCategory Category(std::string name, v1::RequestType type, double rate,
                         std::vector<Phrase> phrases, std::vector<Phrase> bursts) {
  HistoryCategory category;
  category.name = std::move(name);
  category.type = type;
  category.hourly_rate = rate;
  category.phrases = std::move(phrases);
  category.burst_phrases = std::move(bursts);
  return category;
}

std::vector<HistoryCategory> ServiceCategories() {
  std::vector<HistoryCategory> out;
  out.push_back(Category(
      "billing", v1::REQUEST_TYPE_COMPLAINT, 2.5,
      {{"这个月电费比上月高很多", "This month's electricity bill is much higher than last month"},
       {"电费账单金额不对", "The amount on my electricity bill is wrong"},
       {"没用什么电怎么扣了这么多钱", "I barely used any power so why was so much charged"},
       {"电费被重复扣款", "My electricity bill was charged twice"}},
      {{"阶梯电价算错了多收电费", "Overcharged because the tiered tariff was calculated wrongly"},
       {"换了智能电表后电费翻倍", "The bill doubled after the smart meter was replaced"},
       {"自动代扣重复扣了电费", "Direct debit took the electricity payment twice"}}));
  out.push_back(
      Category("payment", v1::REQUEST_TYPE_CONSULTATION, 3.0,
               {{"怎么在网上交电费", "How do I pay my electricity bill online"},
                {"交了电费还显示欠费", "I paid but it still shows arrears"},
                {"预付费电表怎么充值", "How do I top up my prepaid meter"},
                {"电费发票怎么开", "How do I get an invoice for my electricity bill"}},
               {{"微信缴费成功但是没到账", "Paid through WeChat but the payment never arrived"},
                {"充值后电表没有显示余额", "After topping up the meter shows no balance"}}));
  out.push_back(
      Category("meter", v1::REQUEST_TYPE_SERVICE_APPLICATION, 1.2,
               {{"电表走得太快，申请校验电表", "The meter runs too fast and I want it tested"},
                {"电表显示屏不亮了", "The meter display is blank"},
                {"申请电表移位", "I want to have my meter moved"},
                {"电表读数和账单对不上", "The meter reading does not match the bill"}},
               {{"新换的电表读数跳得很快", "The new meter's reading jumps very fast"},
                {"电表显示报警代码", "The meter shows an alarm code"}}));
  out.push_back(Category(
      "tariff", v1::REQUEST_TYPE_CONSULTATION, 1.5,
      {{"峰谷电价怎么申请", "How do I apply for the time-of-use tariff"},
       {"居民阶梯电价是怎么算的", "How is the tiered residential tariff calculated"},
       {"电价有没有调整", "Has the electricity price changed"}},
      {{"峰谷时段调整后电费变高", "The bill went up after the peak and off-peak hours changed"},
       {"电价调整通知看不懂", "I do not understand the tariff change notice"}}));
  out.push_back(
      Category("new_connection", v1::REQUEST_TYPE_SERVICE_APPLICATION, 1.0,
               {{"新房子申请装电表", "I want a meter installed in my new house"},
                {"申请增加用电容量", "I want to increase my supply capacity"},
                {"充电桩报装怎么办理", "How do I apply for an EV charger connection"}},
               {{"充电桩报装排队太久", "The EV charger application has been waiting too long"},
                {"新装电表迟迟没有通电", "The new connection still has not been energized"}}));
  out.push_back(
      Category("staff_conduct", v1::REQUEST_TYPE_COMPLAINT, 0.3,
               {{"抄表员态度很差", "The meter reader was very rude"},
                {"营业厅工作人员推诿", "Staff at the service hall kept passing me around"},
                {"抢修人员迟迟不到", "The repair crew took forever to arrive"}},
               {{"上门人员索要额外费用", "Staff who came to the door demanded extra fees"},
                {"客服电话一直打不进去", "The customer service line is always busy"}}));
  out.push_back(
      Category("power_theft", v1::REQUEST_TYPE_REPORT, 0.2,
               {{"举报邻居私拉电线", "Reporting a neighbour who illegally taps the power line"},
                {"有人绕过电表偷电", "Someone is bypassing the meter to steal power"}},
               {{"工地私接电源偷电", "A construction site is illegally connected to the grid"}}));
  return out;
}

std::vector<HistoryCategory> SupplyCategories() {
  std::vector<HistoryCategory> out;
  out.push_back(Category(
      "fault_repair", v1::REQUEST_TYPE_FAULT_REPAIR, 6.0,
      {{"家里突然停电了", "The power at home suddenly went out"},
       {"整栋楼都没电了", "The whole building has no power"},
       {"空开跳闸合不上", "The breaker tripped and will not reset"},
       {"门口电线掉下来了", "A power line has fallen down outside my door"},
       {"表箱冒烟了", "Smoke is coming out of the meter box"}},
      {{"小区配电房响了一声后停电", "Power cut after a loud bang from the estate's switch room"},
       {"新装的智能电表老是跳闸", "The newly installed smart meter keeps tripping"},
       {"施工挖断了电缆", "Construction work cut the underground cable"}}));
  out.back().daily = kFaultDaily;
  out.push_back(
      Category("outage_info", v1::REQUEST_TYPE_CONSULTATION, 3.0,
               {{"请问什么时候来电", "When will the power be back"},
                {"我们这里是不是计划停电", "Is there a planned outage in our area"},
                {"停电通知在哪里查", "Where can I find outage notices"},
                {"停电抢修进度怎么样了", "How is the repair of the outage going"}},
               {{"停电通知短信写错了时间", "The outage notice SMS gave the wrong time"},
                {"计划停电延长了没有通知", "The planned outage was extended without notice"}}));
  out.push_back(
      Category("outage_frequency", v1::REQUEST_TYPE_COMPLAINT, 0.6,
               {{"这个月已经停电好几次了", "The power has gone out several times this month"},
                {"经常停电，影响生活", "Frequent power cuts are disrupting our lives"},
                {"一天停两三次电", "The power goes out two or three times a day"}},
               {{"天天晚上停电", "The power goes out every evening"},
                {"线路改造后反而更常停电", "Since the line upgrade outages are more frequent"}}));
  out.push_back(Category("power_quality", v1::REQUEST_TYPE_COMPLAINT, 1.0,
                         {{"电压太低空调开不了", "Voltage is too low to run the air conditioner"},
                          {"电压不稳烧坏了电器", "Unstable voltage damaged my appliances"},
                          {"晚上灯光很暗", "The lights are very dim in the evening"}},
                         {{"晚高峰电压低冰箱停机", "Low voltage at peak hours stops the fridge"},
                          {"电压过高烧坏家电", "Overvoltage burned out household appliances"}}));
  out.push_back(
      Category("urging", v1::REQUEST_TYPE_URGING, 1.2,
               {{"我上次报的问题还没处理", "The problem I reported last time is still not handled"},
                {"催一下我的工单", "I am chasing my ticket"},
                {"说好今天来修怎么还没来", "You said someone would come today but nobody came"}},
               {{"报修三天了还没人来", "I reported it three days ago and still nobody came"}}));
  return out;
}

const char* const kStems[] = {"天河", "越秀", "海珠", "荔湾", "白云", "黄埔", "番禺",
                              "花都", "南沙", "从化", "增城", "清溪", "石岭", "龙门",
                              "新丰", "连平", "和平", "紫金", "五华", "丰顺"};

std::vector<HistoryDistrict> GenericDistricts(uint64_t seed, int count) {
  std::vector<HistoryDistrict> out;
  internal::Rng rng(internal::HashKey(seed, 0x4849'5354'0020ULL));
  constexpr int kStemCount = static_cast<int>(sizeof kStems / sizeof kStems[0]);
  for (int i = 0; i < count; ++i) {
    HistoryDistrict district;
    char id[16];
    std::snprintf(id, sizeof id, "DIST-%03d", i + 1);
    district.id = id;
    district.name = std::string(kStems[i % kStemCount]) +
                    (i >= kStemCount ? std::to_string(i / kStemCount + 1) : "") +
                    (i % kStemCount < 11 ? "区" : "县");
    district.weight = rng.Uniform(0.5, 2.0);
    out.push_back(std::move(district));
  }
  return out;
}

/// The utility's districts, weighted by their customers (mean weight 1, within 0.2..5).
std::vector<HistoryDistrict> UtilityDistricts(const Utility& utility) {
  const Network& network = utility.network();
  std::vector<HistoryDistrict> out;
  double total = 0;
  for (const auto& d : network.districts()) {
    HistoryDistrict district;
    district.id = d.id;
    district.name = d.name;
    double customers = 0;
    for (const int32_t s : d.substations) {
      const IndexRange range = network.substations()[static_cast<size_t>(s)].customers;
      district.customers.push_back(range);
      customers += static_cast<double>(range.size());
    }
    district.weight = customers;
    total += customers;
    out.push_back(std::move(district));
  }
  const double mean = total / static_cast<double>(std::max<size_t>(out.size(), 1));
  for (auto& district : out) {
    district.weight = mean > 0 ? std::clamp(district.weight / mean, 0.2, 5.0) : 1.0;
  }
  return out;
}

}  // namespace

HistorySpec DefaultHistorySpec(const DefaultHistoryOptions& options, const Utility* utility) {
  HistorySpec spec;
  spec.seed = options.seed;
  spec.weeks = options.weeks;
  spec.daily = kDaily;
  spec.weekly = kWeekly;
  spec.categories = SupplyCategories();
  for (auto& category : ServiceCategories()) spec.categories.push_back(std::move(category));
  for (auto& category : spec.categories) category.hourly_rate *= options.volume;
  spec.districts = utility != nullptr ? UtilityDistricts(*utility)
                                      : GenericDistricts(options.seed, options.districts);
  return spec;
}

}  // namespace gridcare::synth
