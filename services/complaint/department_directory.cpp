#include "department_directory.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "gridcare/config/json_reader.h"
#include "json_fields.h"

namespace gridcare::complaint {
namespace {

using json_fields::Json;

const config::JsonReader kReader("department directory");

constexpr std::string_view kTopKeys[] = {"departments", "handlers", "pool_department",
                                         "coordinator", "roles",    "note"};
constexpr std::string_view kDepartmentKeys[] = {"id",   "name_zh_cn", "name_en",       "kind",
                                                "head", "units",      "local_calendar"};
constexpr std::string_view kLocalCalendarKeys[] = {"note", "holidays", "working_weekends"};
constexpr std::string_view kUnitKeys[] = {"id", "name_zh_cn", "name_en", "districts"};
constexpr std::string_view kHandlerKeys[] = {"id",   "name",   "department",
                                             "unit", "senior", "supervisor"};
constexpr std::string_view kRoleKeys[] = {"zh_cn", "en"};

constexpr std::array<json_fields::EnumName<v1::Department>, 6> kKinds = {{
    {"operations", v1::DEPARTMENT_OPERATIONS},
    {"marketing", v1::DEPARTMENT_MARKETING},
    {"metering", v1::DEPARTMENT_METERING},
    {"customer_service", v1::DEPARTMENT_CUSTOMER_SERVICE},
    {"construction", v1::DEPARTMENT_CONSTRUCTION},
    {"safety_supervision", v1::DEPARTMENT_SAFETY_SUPERVISION},
}};

// The object at `value`, or an error naming `label`.
core::Status RequireObject(const Json& value, std::string_view label) {
  if (value.is_object()) return core::Status::Ok();
  return kReader.Error(std::string(label) + ": must be an object, got " + value.dump());
}

// {name_zh_cn, name_en} of a department or unit, both required.
core::Result<v1::LocalizedText> ReadNames(const config::JsonReader& reader, const Json& object) {
  auto zh = json_fields::RequiredString(reader, object, "name_zh_cn");
  if (!zh.ok()) return zh.error();
  auto en = json_fields::RequiredString(reader, object, "name_en");
  if (!en.ok()) return en.error();
  v1::LocalizedText names;
  names.set_zh_cn(std::move(*zh));
  names.set_en(std::move(*en));
  return names;
}

core::Result<Unit> ReadUnit(const config::JsonReader& parent, const Json& entry, size_t index) {
  const std::string label = json_fields::EntryLabel("units", index, entry);
  if (!entry.is_object()) return parent.Error(label + ": must be an object, got " + entry.dump());
  const config::JsonReader reader = json_fields::EntryReader(parent, label);
  if (auto status = reader.RejectUnknownKeys(entry, kUnitKeys); !status.ok()) {
    return status.error();
  }
  Unit unit;
  auto id = json_fields::Id(reader, entry, "id", true);
  if (!id.ok()) return id.error();
  unit.id = std::move(*id);
  auto names = ReadNames(reader, entry);
  if (!names.ok()) return names.error();
  unit.name = std::move(*names);
  auto districts = json_fields::StringList(reader, entry, "districts");
  if (!districts.ok()) return districts.error();
  unit.districts = std::move(*districts);
  return unit;
}

// The units of one department: ids unique within it, each district served by one unit only.
core::Result<std::vector<Unit>> ReadUnits(const config::JsonReader& reader, const Json& object) {
  std::vector<Unit> units;
  const auto it = object.find("units");
  if (it == object.end()) return units;
  if (!it->is_array()) return reader.Error("\"units\" must be an array, got " + it->dump());
  std::map<std::string, std::string, std::less<>> unit_of_district;
  for (size_t i = 0; i < it->size(); ++i) {
    auto unit = ReadUnit(reader, it->at(i), i);
    if (!unit.ok()) return unit.error();
    const std::string label = json_fields::EntryLabel("units", i, it->at(i));
    for (const Unit& earlier : units) {
      if (earlier.id == unit->id) return reader.Error(label + ": duplicate unit id");
    }
    for (const std::string& district : unit->districts) {
      const auto [at, inserted] = unit_of_district.emplace(district, unit->id);
      if (!inserted) {
        return reader.Error(label + ": district \"" + district + "\" is already served by unit \"" +
                            at->second + "\"");
      }
    }
    units.push_back(std::move(*unit));
  }
  return units;
}

// "local_calendar": {"holidays": ["2027-04-09"], "working_weekends": [...]}: dates only; the
// calendar book checks weekends against the company calendar.
core::Result<std::vector<sla::LocalDate>> ReadLocalDates(const config::JsonReader& reader,
                                                         const Json& local, const char* key) {
  std::vector<sla::LocalDate> dates;
  auto texts = json_fields::StringList(reader, local, key);
  if (!texts.ok()) return texts.error();
  for (const std::string& text : *texts) {
    auto date = sla::ParseLocalDate(text);
    if (!date) {
      return reader.Error("local_calendar." + std::string(key) + ": \"" + text +
                          "\" is not a date YYYY-MM-DD");
    }
    dates.push_back(*date);
  }
  return dates;
}

core::Status ReadLocalCalendar(const config::JsonReader& reader, const Json& entry,
                               Department& department) {
  if (!entry.contains("local_calendar")) return {};
  const Json& local = entry.at("local_calendar");
  if (!local.is_object()) return reader.Error("local_calendar must be an object");
  if (auto status = reader.RejectUnknownKeys(local, kLocalCalendarKeys, "local_calendar");
      !status.ok()) {
    return status.error();
  }
  auto holidays = ReadLocalDates(reader, local, "holidays");
  if (!holidays.ok()) return holidays.error();
  auto weekends = ReadLocalDates(reader, local, "working_weekends");
  if (!weekends.ok()) return weekends.error();
  department.local_holidays = std::move(*holidays);
  department.local_working_weekends = std::move(*weekends);
  return {};
}

core::Result<Department> ReadDepartment(const Json& entry, size_t index) {
  const std::string label = json_fields::EntryLabel("departments", index, entry);
  if (auto status = RequireObject(entry, label); !status.ok()) return status.error();
  const config::JsonReader reader = json_fields::EntryReader(kReader, label);
  if (auto status = reader.RejectUnknownKeys(entry, kDepartmentKeys); !status.ok()) {
    return status.error();
  }
  Department department;
  auto id = json_fields::Id(reader, entry, "id", true);
  if (!id.ok()) return id.error();
  department.id = std::move(*id);
  auto names = ReadNames(reader, entry);
  if (!names.ok()) return names.error();
  department.name = std::move(*names);
  if (entry.contains("kind")) {
    auto kind_name = reader.String(entry.at("kind"), "kind");
    if (!kind_name.ok()) return kind_name.error();
    auto kind = json_fields::EnumFromName<v1::Department>(reader, *kind_name, "kind", kKinds);
    if (!kind.ok()) return kind.error();
    department.kind = *kind;
  }
  auto head = json_fields::Id(reader, entry, "head", true);
  if (!head.ok()) return head.error();
  department.head_handler_id = std::move(*head);
  auto units = ReadUnits(reader, entry);
  if (!units.ok()) return units.error();
  department.units = std::move(*units);
  if (auto status = ReadLocalCalendar(reader, entry, department); !status.ok()) {
    return status.error();
  }
  return department;
}

core::Result<std::vector<Department>> ReadDepartments(const Json& root) {
  if (!root.contains("departments")) return kReader.Error("missing \"departments\"");
  const Json& list = root.at("departments");
  if (!list.is_array() || list.empty()) {
    return kReader.Error("\"departments\" must be a non-empty array, got " + list.dump());
  }
  std::vector<Department> departments;
  for (size_t i = 0; i < list.size(); ++i) {
    auto department = ReadDepartment(list[i], i);
    if (!department.ok()) return department.error();
    for (const Department& earlier : departments) {
      if (earlier.id == department->id) {
        return kReader.Error(json_fields::EntryLabel("departments", i, list[i]) +
                             ": duplicate department id");
      }
    }
    departments.push_back(std::move(*department));
  }
  return departments;
}

const Department* Find(const std::vector<Department>& departments, std::string_view id) {
  const auto it = std::find_if(departments.begin(), departments.end(),
                               [&](const Department& d) { return d.id == id; });
  return it == departments.end() ? nullptr : &*it;
}

const Unit* FindUnit(const Department& department, std::string_view id) {
  const auto it = std::find_if(department.units.begin(), department.units.end(),
                               [&](const Unit& u) { return u.id == id; });
  return it == department.units.end() ? nullptr : &*it;
}

core::Result<Handler> ReadHandler(const Json& entry, size_t index,
                                  const std::vector<Department>& departments) {
  const std::string label = json_fields::EntryLabel("handlers", index, entry);
  if (auto status = RequireObject(entry, label); !status.ok()) return status.error();
  const config::JsonReader reader = json_fields::EntryReader(kReader, label);
  if (auto status = reader.RejectUnknownKeys(entry, kHandlerKeys); !status.ok()) {
    return status.error();
  }
  Handler handler;
  auto id = json_fields::Id(reader, entry, "id", true);
  if (!id.ok()) return id.error();
  handler.id = std::move(*id);
  auto name = json_fields::RequiredString(reader, entry, "name");
  if (!name.ok()) return name.error();
  handler.name = std::move(*name);
  auto department_id = json_fields::Id(reader, entry, "department", true);
  if (!department_id.ok()) return department_id.error();
  handler.department_id = std::move(*department_id);
  const Department* department = Find(departments, handler.department_id);
  if (department == nullptr) {
    return reader.Error("unknown department \"" + handler.department_id + "\"");
  }
  auto unit_id = json_fields::Id(reader, entry, "unit", false);
  if (!unit_id.ok()) return unit_id.error();
  handler.unit_id = std::move(*unit_id);
  if (!handler.unit_id.empty() && FindUnit(*department, handler.unit_id) == nullptr) {
    return reader.Error("unknown unit \"" + handler.unit_id + "\" of department \"" +
                        handler.department_id + "\"");
  }
  auto senior = json_fields::OptionalBool(reader, entry, "senior");
  if (!senior.ok()) return senior.error();
  handler.senior = *senior;
  auto supervisor = json_fields::OptionalBool(reader, entry, "supervisor");
  if (!supervisor.ok()) return supervisor.error();
  handler.supervisor = *supervisor;
  return handler;
}

core::Result<std::vector<Handler>> ReadHandlers(const Json& root,
                                                const std::vector<Department>& departments) {
  if (!root.contains("handlers")) return kReader.Error("missing \"handlers\"");
  const Json& list = root.at("handlers");
  if (!list.is_array()) return kReader.Error("\"handlers\" must be an array, got " + list.dump());
  std::vector<Handler> handlers;
  for (size_t i = 0; i < list.size(); ++i) {
    auto handler = ReadHandler(list[i], i, departments);
    if (!handler.ok()) return handler.error();
    for (const Handler& earlier : handlers) {
      if (earlier.id == handler->id) {
        return kReader.Error(json_fields::EntryLabel("handlers", i, list[i]) +
                             ": duplicate handler id");
      }
    }
    handlers.push_back(std::move(*handler));
  }
  return handlers;
}

// Every department's head is one of its handlers.
core::Status CheckHeads(const std::vector<Department>& departments,
                        const std::vector<Handler>& handlers) {
  for (size_t i = 0; i < departments.size(); ++i) {
    const Department& department = departments[i];
    const bool found = std::any_of(handlers.begin(), handlers.end(), [&](const Handler& h) {
      return h.id == department.head_handler_id && h.department_id == department.id;
    });
    if (!found) {
      return kReader.Error("departments[" + std::to_string(i) + "] (\"" + department.id +
                           "\"): head \"" + department.head_handler_id +
                           "\" is not a handler of the department");
    }
  }
  return core::Status::Ok();
}

core::Result<std::map<std::string, v1::LocalizedText, std::less<>>> ReadRoles(const Json& root) {
  std::map<std::string, v1::LocalizedText, std::less<>> roles;
  const auto it = root.find("roles");
  if (it == root.end()) return roles;
  if (!it->is_object()) return kReader.Error("\"roles\" must be an object, got " + it->dump());
  for (const auto& [role, names] : it->items()) {
    const std::string label = "roles." + role;
    if (!json_fields::IsValidId(role)) {
      return kReader.Error(label + ": a role must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (auto status = RequireObject(names, label); !status.ok()) return status.error();
    const config::JsonReader reader = json_fields::EntryReader(kReader, label);
    if (auto status = reader.RejectUnknownKeys(names, kRoleKeys); !status.ok()) {
      return status.error();
    }
    auto zh = json_fields::RequiredString(reader, names, "zh_cn");
    if (!zh.ok()) return zh.error();
    auto en = json_fields::RequiredString(reader, names, "en");
    if (!en.ok()) return en.error();
    v1::LocalizedText text;
    text.set_zh_cn(std::move(*zh));
    text.set_en(std::move(*en));
    roles.emplace(role, std::move(text));
  }
  return roles;
}

std::string Bilingual(const v1::LocalizedText& text) { return text.zh_cn() + " / " + text.en(); }

v1::Actor MakeActor(v1::Actor::Kind kind, std::string id, std::string display_name) {
  v1::Actor actor;
  actor.set_kind(kind);
  actor.set_id(std::move(id));
  actor.set_display_name(std::move(display_name));
  return actor;
}

}  // namespace

core::Result<DepartmentDirectory> DepartmentDirectory::FromJson(std::string_view json) {
  auto root = kReader.ParseObject(json);
  if (!root.ok()) return root.error();
  if (auto status = kReader.RejectUnknownKeys(*root, kTopKeys); !status.ok()) {
    return status.error();
  }
  if (auto note = json_fields::OptionalString(kReader, *root, "note"); !note.ok()) {
    return note.error();
  }
  DepartmentDirectory directory;
  auto departments = ReadDepartments(*root);
  if (!departments.ok()) return departments.error();
  directory.departments_ = std::move(*departments);
  auto handlers = ReadHandlers(*root, directory.departments_);
  if (!handlers.ok()) return handlers.error();
  directory.handlers_ = std::move(*handlers);
  if (auto status = CheckHeads(directory.departments_, directory.handlers_); !status.ok()) {
    return status.error();
  }

  auto pool = json_fields::Id(kReader, *root, "pool_department", true);
  if (!pool.ok()) return pool.error();
  if (directory.FindDepartment(*pool) == nullptr) {
    return kReader.Error("pool_department: unknown department \"" + *pool + "\"");
  }
  directory.pool_department_id_ = std::move(*pool);
  auto coordinator = json_fields::Id(kReader, *root, "coordinator", true);
  if (!coordinator.ok()) return coordinator.error();
  if (directory.FindHandler(*coordinator) == nullptr) {
    return kReader.Error("coordinator: unknown handler \"" + *coordinator + "\"");
  }
  directory.coordinator_id_ = std::move(*coordinator);

  auto roles = ReadRoles(*root);
  if (!roles.ok()) return roles.error();
  directory.roles_ = std::move(*roles);
  return directory;
}

const Department* DepartmentDirectory::FindDepartment(std::string_view id) const {
  return Find(departments_, id);
}

const Handler* DepartmentDirectory::FindHandler(std::string_view id) const {
  const auto it = std::find_if(handlers_.begin(), handlers_.end(),
                               [&](const Handler& h) { return h.id == id; });
  return it == handlers_.end() ? nullptr : &*it;
}

std::string DepartmentDirectory::UnitFor(std::string_view department_id,
                                         std::string_view district) const {
  const Department* department = FindDepartment(department_id);
  if (department == nullptr || district.empty()) return "";
  for (const Unit& unit : department->units) {
    if (std::find(unit.districts.begin(), unit.districts.end(), district) != unit.districts.end()) {
      return unit.id;
    }
  }
  return "";
}

const Handler* DepartmentDirectory::SeniorHandler(std::string_view department_id,
                                                  std::string_view unit_id) const {
  // Of the unit first, then the department's own (no unit), then any of the department.
  const auto first_senior = [&](auto&& accept) -> const Handler* {
    for (const Handler& handler : handlers_) {
      if (handler.senior && handler.department_id == department_id && accept(handler)) {
        return &handler;
      }
    }
    return nullptr;
  };
  if (!unit_id.empty()) {
    if (const Handler* h = first_senior([&](const Handler& x) { return x.unit_id == unit_id; })) {
      return h;
    }
  }
  if (const Handler* h = first_senior([](const Handler& x) { return x.unit_id.empty(); })) {
    return h;
  }
  return first_senior([](const Handler&) { return true; });
}

std::vector<const Handler*> DepartmentDirectory::HandlersOf(std::string_view department_id) const {
  std::vector<const Handler*> out;
  for (const Handler& handler : handlers_) {
    if (handler.department_id == department_id) out.push_back(&handler);
  }
  return out;
}

bool DepartmentDirectory::MayAct(std::string_view handler_id,
                                 std::string_view department_id) const {
  const Handler* handler = FindHandler(handler_id);
  if (handler == nullptr) return false;
  if (handler->department_id == department_id) return true;
  if (handler->id == coordinator_id_) return true;
  return handler->supervisor && handler->department_id == pool_department_id_;
}

v1::Actor DepartmentDirectory::MustAct(std::string_view role, const v1::ComplaintCase& c) const {
  const Department* department = FindDepartment(c.department_id());
  if (role == "handler") {
    if (!c.handler_id().empty()) {
      const Handler* handler = FindHandler(c.handler_id());
      return MakeActor(v1::Actor::KIND_DEPARTMENT, c.handler_id(),
                       handler != nullptr ? handler->name : c.handler_id());
    }
    if (department == nullptr) {
      return MakeActor(v1::Actor::KIND_DEPARTMENT, c.department_id(), c.department_id());
    }
    v1::LocalizedText names = department->name;
    if (const Unit* unit = FindUnit(*department, c.unit_id()); unit != nullptr) {
      names.set_zh_cn(names.zh_cn() + " " + unit->name.zh_cn());
      names.set_en(names.en() + ", " + unit->name.en());
    }
    return MakeActor(v1::Actor::KIND_DEPARTMENT, department->id, Bilingual(names));
  }
  const auto known_role = roles_.find(role);
  const std::string role_name =
      known_role != roles_.end() ? Bilingual(known_role->second) : std::string(role);
  if (role == "department-head" && department != nullptr) {
    const Handler* head = FindHandler(department->head_handler_id);
    if (head != nullptr) {
      return MakeActor(v1::Actor::KIND_SUPERVISOR, head->id,
                       head->name + " (" + role_name + ", " + Bilingual(department->name) + ")");
    }
  }
  return MakeActor(v1::Actor::KIND_SUPERVISOR, std::string(role), role_name);
}

v1::Department DepartmentDirectory::KindOf(std::string_view department_id) const {
  const Department* department = FindDepartment(department_id);
  return department != nullptr ? department->kind : v1::DEPARTMENT_UNSPECIFIED;
}

}  // namespace gridcare::complaint
