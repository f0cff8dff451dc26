#include "effects_sum.h"

#include <algorithm>

#include "keyword_terms.h"

namespace gridcare::analytics {
namespace {

size_t Mix(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

size_t HashOf(std::string_view text) { return std::hash<std::string_view>()(text); }

}  // namespace

size_t EffectsSum::CounterHash::operator()(const Counter& c) const {
  size_t seed = Mix(static_cast<size_t>(c.day), HashOf(c.metric));
  for (const std::string* value : {&c.dims->district, &c.dims->channel, &c.dims->type,
                                   &c.dims->area_class, &c.dims->unit, &c.dims->department}) {
    seed = Mix(seed, HashOf(*value));
  }
  return seed;
}

size_t EffectsSum::SeriesHourHash::operator()(const SeriesHour& s) const {
  return Mix(Mix(HashOf(s.series), HashOf(s.area)), static_cast<size_t>(s.hour));
}

size_t EffectsSum::AreaDayHash::operator()(const AreaDay& a) const {
  return Mix(HashOf(a.area), static_cast<size_t>(a.day));
}

void EffectsSum::Add(const Effects& effects) {
  for (const auto& increment : effects.counters) {
    counters_[Counter{increment.day, increment.metric, &increment.dims}] += increment.delta;
  }
  for (const auto& increment : effects.series) {
    ++series_[SeriesHour{increment.series, increment.area, increment.hour}];
    first_hour_ = std::min(first_hour_.value_or(increment.hour), increment.hour);
  }
  for (const auto& text : effects.texts) {
    auto& texts = texts_[AreaDay{text.area, text.day}];
    ++texts.count;
    for (auto& term : ExtractTerms(text.text)) ++texts.terms[std::move(term)];
    texts.latest.push_back(&text);
  }
  events_.push_back(&effects);
}

}  // namespace gridcare::analytics
