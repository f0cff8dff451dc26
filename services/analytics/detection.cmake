# analytics_detection (helper A, issue 15): the pure pieces of surge early warning.
# - hour_index.h: local (UTC+8) hour, day and hour-of-week indexes;
# - count_tests: Poisson and negative-binomial upper tails (incomplete gamma / beta, no external
#   library), standardized residuals and a one-sided CUSUM;
# - surge_detector: the hour, day-so-far and CUSUM tests of one category × area series against the
#   same slots of past weeks (defaults measured by bench/analytics, gridcare-detection-quality).
gridcare_library(analytics_detection
  SOURCES
    count_tests.cpp
    surge_detector.cpp
  DEPS gridcare::core)
target_include_directories(gridcare_analytics_detection PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
