// Self-contained view of a schedule (one or more layers), printed the same
// way for in-process and remote runs.

#ifndef NEUROSPECTOR_CLIENT_SCHEDULE_VIEW_H_
#define NEUROSPECTOR_CLIENT_SCHEDULE_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "client/report_view.h"

namespace neurospector::cli {

struct LayerScheduleView {
  EvaluationView evaluation;  // layer, table, validity and figures
  std::string strategy;       // "PM-PM-PM", "optimal", "best found"
  bool optimal = false;
  uint64_t evaluated = 0;
  uint64_t pruned = 0;
  double seconds = 0;
};

struct ScheduleView {
  std::string accelerator;
  std::string network;
  std::string metric;    // "energy" or "cycle"
  std::string dataflow;  // "fixed" or "flexible"
  std::string search;    // "bottom-up" or "exact"
  std::vector<LayerScheduleView> layers;
  double seconds = 0;  // wall time of the whole run

  double TotalEnergy() const;
  double TotalCycles() const;
};

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_SCHEDULE_VIEW_H_
