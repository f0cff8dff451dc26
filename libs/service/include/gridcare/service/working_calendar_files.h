#pragma once

// The working calendar a service runs with, from the files of its --working-calendar flag.

#include <string>
#include <vector>

#include "gridcare/core/error.h"
#include "gridcare/sla/calendar.h"

namespace gridcare::service {

/// The files of --working-calendar: a comma-separated list of files and directories (a directory
/// stands for every *.json in it), sorted. NOT_FOUND naming a missing entry.
core::Result<std::vector<std::string>> ListCalendarFiles(const std::string& spec);

/// Reads every file of `spec` and combines them with the statutory holidays derived for the
/// years no file covers (sla::CombineWithStatutoryHolidays). Errors name the file.
core::Result<sla::WorkingCalendar> LoadWorkingCalendar(const std::string& spec);

}  // namespace gridcare::service
