# analytics_keywords (issue 15, keyword hotspots): request texts to terms (keyword_terms: Chinese
# character bigrams, English words, stop lists) and the terms that burst against their area's
# baseline, with masked example tickets (keyword_bursts; its Poisson tail is analytics_detection's
# count_tests.h). Pure: no I/O, no clock.
gridcare_library(analytics_keywords
  SOURCES
    keyword_terms.cpp
    keyword_bursts.cpp
  DEPS gridcare::analytics_detection gridcare::core gridcare::logging)
target_include_directories(gridcare_analytics_keywords PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
