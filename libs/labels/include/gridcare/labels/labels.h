#pragma once

// What customers read for contract values, in zh-CN and en: a ticket's request type ("您的投诉已
// 受理" / "your complaint"), the channel a contact came through. Agents and customers see the
// same words in Track, in messages and in case steps.

#include <string>
#include <string_view>

#include "gridcare/v1/common.pb.h"

namespace gridcare::labels {

/// A text in both languages.
v1::LocalizedText Text(std::string zh_cn, std::string en);

/// 故障报修 / fault repair, 投诉 / complaint, 举报 / report, 意见 / feedback, 建议 / suggestion,
/// 表扬 / praise, 咨询 / enquiry, 业务申请 / service application, 催办 / follow-up; anything else
/// 诉求 / request. Lower case in English: it sits inside sentences.
v1::LocalizedText RequestTypeLabel(v1::RequestType type);

/// How the contact reached us: 95598热线 / the 95598 hotline, 微信公众号 / WeChat, …; anything else
/// 服务渠道 / one of our service channels.
v1::LocalizedText ChannelLabel(v1::Channel channel);

/// A machine label for an enum value name, for metric labels and analytics' dimensions:
/// "REQUEST_TYPE_FAULT_REPAIR" with prefix "REQUEST_TYPE_" → "fault_repair"; "" → "unknown".
std::string EnumLabel(std::string_view name, std::string_view prefix);

}  // namespace gridcare::labels
