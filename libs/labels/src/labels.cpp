#include "gridcare/labels/labels.h"

#include <cctype>
#include <utility>

namespace gridcare::labels {

v1::LocalizedText Text(std::string zh_cn, std::string en) {
  v1::LocalizedText text;
  text.set_zh_cn(std::move(zh_cn));
  text.set_en(std::move(en));
  return text;
}

v1::LocalizedText RequestTypeLabel(v1::RequestType type) {
  switch (type) {
    case v1::REQUEST_TYPE_FAULT_REPAIR:
      return Text("故障报修", "fault repair");
    case v1::REQUEST_TYPE_COMPLAINT:
      return Text("投诉", "complaint");
    case v1::REQUEST_TYPE_REPORT:
      return Text("举报", "report");
    case v1::REQUEST_TYPE_OPINION:
      return Text("意见", "feedback");
    case v1::REQUEST_TYPE_SUGGESTION:
      return Text("建议", "suggestion");
    case v1::REQUEST_TYPE_PRAISE:
      return Text("表扬", "praise");
    case v1::REQUEST_TYPE_CONSULTATION:
      return Text("咨询", "enquiry");
    case v1::REQUEST_TYPE_SERVICE_APPLICATION:
      return Text("业务申请", "service application");
    case v1::REQUEST_TYPE_URGING:
      return Text("催办", "follow-up");
    default:
      return Text("诉求", "request");
  }
}

v1::LocalizedText ChannelLabel(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_HOTLINE_IVR:
    case v1::CHANNEL_HOTLINE_AGENT:
      return Text("95598热线", "the 95598 hotline");
    case v1::CHANNEL_MOBILE_APP:
      return Text("手机App", "our mobile app");
    case v1::CHANNEL_WECHAT:
      return Text("微信公众号", "WeChat");
    case v1::CHANNEL_WEB:
      return Text("网上营业厅", "our website");
    case v1::CHANNEL_SERVICE_HALL:
      return Text("营业厅", "a service hall");
    case v1::CHANNEL_SELF_SERVICE_TERMINAL:
      return Text("自助服务终端", "a self-service terminal");
    case v1::CHANNEL_SMS:
      return Text("短信", "text message");
    case v1::CHANNEL_METER_HEAD_END:
      return Text("智能电表", "your smart meter");
    case v1::CHANNEL_FIELD_CREW:
      return Text("现场工作人员", "our field staff");
    default:
      return Text("服务渠道", "one of our service channels");
  }
}

std::string EnumLabel(std::string_view name, std::string_view prefix) {
  if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  std::string label(name);
  for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return label.empty() ? "unknown" : label;
}

}  // namespace gridcare::labels
