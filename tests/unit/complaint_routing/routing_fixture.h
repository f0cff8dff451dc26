#pragma once

// A small directory for the directory and router tests: marketing with two district units,
// operations with one (the same unit id as marketing's, as a supply office serves both), and the
// pool department "centre" whose coordinator is not a supervisor.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "department_directory.h"

namespace gridcare::complaint::testing {

inline nlohmann::json DirectoryJson() {
  return nlohmann::json::parse(R"({
    "note": "test directory",
    "pool_department": "centre",
    "coordinator": "c-coord",
    "roles": {
      "department-head": {"zh_cn": "部门负责人", "en": "Department head"},
      "service-dispatch-centre": {"zh_cn": "供电服务指挥中心", "en": "Service dispatch centre"}
    },
    "departments": [
      {"id": "marketing", "name_zh_cn": "营销部", "name_en": "Marketing", "kind": "marketing",
       "head": "m-head", "units": [
        {"id": "north-office", "name_zh_cn": "北区供电所", "name_en": "North supply office",
         "districts": ["北区", "东区"]},
        {"id": "south-office", "name_zh_cn": "南区供电所", "name_en": "South supply office",
         "districts": ["南区"]}]},
      {"id": "operations", "name_zh_cn": "运检部", "name_en": "Operations", "kind": "operations",
       "head": "o-head", "units": [
        {"id": "north-office", "name_zh_cn": "北区供电所", "name_en": "North supply office",
         "districts": ["北区"]}]},
      {"id": "centre", "name_zh_cn": "供电服务指挥中心", "name_en": "Service dispatch centre",
       "head": "c-head"}
    ],
    "handlers": [
      {"id": "m-head", "name": "林建华", "department": "marketing", "supervisor": true},
      {"id": "m-north-1", "name": "陈晓燕", "department": "marketing", "unit": "north-office"},
      {"id": "m-north-senior", "name": "黄志强", "department": "marketing", "unit": "north-office",
       "senior": true},
      {"id": "m-south-1", "name": "刘海峰", "department": "marketing", "unit": "south-office"},
      {"id": "m-senior", "name": "周丽娟", "department": "marketing", "senior": true},
      {"id": "o-head", "name": "郑国栋", "department": "operations", "supervisor": true},
      {"id": "o-north-senior", "name": "吴伟", "department": "operations", "unit": "north-office",
       "senior": true},
      {"id": "c-head", "name": "邓丽华", "department": "centre", "supervisor": true},
      {"id": "c-coord", "name": "彭晓东", "department": "centre"},
      {"id": "c-agent", "name": "蒋芳", "department": "centre"}
    ]
  })");
}

inline const DepartmentDirectory& Directory() {
  static const DepartmentDirectory directory = [] {
    auto loaded = DepartmentDirectory::FromJson(DirectoryJson().dump());
    if (!loaded.ok()) FAIL(loaded.error().ToString());
    return std::move(loaded).value();
  }();
  return directory;
}

}  // namespace gridcare::complaint::testing
