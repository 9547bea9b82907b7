#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/migrate.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace vmctl::cli {

// The live progress line of a migration (a bar and the numbers), redrawn in
// place on stderr, and Ctrl-C handling: while a view exists, SIGINT asks the
// migration to stop instead of killing vmctl.
class MigrationView {
public:
    MigrationView(std::ostream& err, bool draw);
    ~MigrationView();
    MigrationView(const MigrationView&) = delete;
    MigrationView& operator=(const MigrationView&) = delete;

    // Draws the job; false once Ctrl-C was pressed.
    bool progress(const MigrationJob& job);
    void finish();

private:
    std::ostream& m_err;
    bool m_draw;
    bool m_drew = false;
};

// The end-of-migration report, for people and as JSON.
void print_report(std::ostream& out, const ops::MigrateOptions& options, const ops::MigrationReport& report);
nlohmann::json report_json(const ops::MigrateOptions& options, const ops::MigrationReport& report);

}  // namespace vmctl::cli
