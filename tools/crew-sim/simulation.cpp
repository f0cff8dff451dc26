#include "simulation.h"

namespace gridcare::crew_sim {

Simulation::Simulation(CrewApi& api, SimSettings settings, Narrator& narrator)
    : api_(api), settings_(std::move(settings)), narrator_(narrator) {}

Simulation::~Simulation() { Stop(); }

core::Status Simulation::Start() {
  if (auto polled = PollRoster(); !polled) return polled;
  std::lock_guard lock(mutex_);
  for (int i = 0; i < settings_.threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  poller_ = std::thread([this] { PollerLoop(); });
  return {};
}

void Simulation::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  stop_cv_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
  if (poller_.joinable()) poller_.join();
}

size_t Simulation::crew_count() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

std::vector<std::string> Simulation::missing_crews() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> missing;
  for (const auto& id : settings_.crews) {
    if (!slots_.contains(id)) missing.push_back(id);
  }
  return missing;
}

void Simulation::Schedule(const std::string& crew_id, Slot& slot, Steady due) {
  queue_.push({due, ++slot.generation, crew_id});
  cv_.notify_one();
}

core::Status Simulation::PollRoster() {
  std::string token;
  do {
    v1::ListCrewsRequest request;
    request.set_page_size(500);
    request.set_page_token(token);
    auto page = api_.ListCrews(request);
    if (!page) return page.error();
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (stopping_) return {};
    for (const auto& crew : page->crews()) {
      if (!settings_.crews.empty() && !settings_.crews.contains(crew.crew_id())) continue;
      auto [it, added] = slots_.try_emplace(crew.crew_id());
      Slot& slot = it->second;
      if (added) {
        slot.player = std::make_unique<CrewPlayer>(crew.crew_id(), crew.position(),
                                                   settings_.player, api_, narrator_, stats_);
        Schedule(crew.crew_id(), slot, now);
        continue;
      }
      // A busy crew reads its queue only when it changed (a new job, or its current one gone);
      // an idle one whenever it holds any.
      const bool changed = slot.player->OfferQueue(crew.work_order_ids());
      if (slot.running) {
        if (changed) slot.wake = true;
      } else if (changed || (slot.player->Idle() && crew.work_order_ids_size() > 0)) {
        slot.player->HintJobs();
        Schedule(crew.crew_id(), slot, now);
      }
    }
    token = page->next_page_token();
  } while (!token.empty());
  return {};
}

void Simulation::WorkerLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const WakeUp top = queue_.top();
    if (top.due > std::chrono::steady_clock::now()) {
      cv_.wait_until(lock, top.due);
      continue;
    }
    queue_.pop();
    Slot& slot = slots_.at(top.crew_id);
    if (top.generation != slot.generation || slot.running) continue;  // superseded
    slot.running = true;
    CrewPlayer* player = slot.player.get();
    lock.unlock();
    Steady next = player->Step(std::chrono::steady_clock::now(), std::chrono::system_clock::now());
    lock.lock();
    slot.running = false;
    if (slot.wake) {
      slot.wake = false;
      next = std::min(next, std::chrono::steady_clock::now());
    }
    if (!stopping_) Schedule(top.crew_id, slot, next);
  }
}

void Simulation::PollerLoop() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stop_cv_.wait_for(lock, settings_.poll_every, [this] { return stopping_; })) return;
    }
    if (auto polled = PollRoster(); !polled) ++stats_.errors;
  }
}

}  // namespace gridcare::crew_sim
