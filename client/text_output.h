// Human-readable reports.

#ifndef NEUROSPECTOR_CLIENT_TEXT_OUTPUT_H_
#define NEUROSPECTOR_CLIENT_TEXT_OUTPUT_H_

#include <string>

#include "client/report_view.h"

namespace neurospector::cli {

// Formats a number for reports: integers exactly, other values with six
// significant digits, "inf" for infinities.
std::string FormatNumber(double value);

// Formats an energy (pJ) with six significant digits, as the reference
// prints its figures.
std::string FormatEnergy(double value);

// The shortest decimal text that reads back as exactly `value` (for
// machine-readable output).
std::string ShortestNumber(double value);

// The scheduling table with row names, K..G columns and dataflows.
std::string TableText(const std::vector<TableRowView>& rows);

// The full evaluate report: layer, table, validity, tiles, access counts,
// active units, utilization, energy (pJ) and cycles.
std::string EvaluationText(const EvaluationView& view);

}  // namespace neurospector::cli

#endif  // NEUROSPECTOR_CLIENT_TEXT_OUTPUT_H_
