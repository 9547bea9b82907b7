#include "vmctl/cli/migration_view.h"

#include "vmctl/core/size.h"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <pthread.h>
#include <string>

namespace vmctl::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) { g_interrupted = true; }

}  // namespace

MigrationView::MigrationView(std::ostream& err, bool draw) : m_err(err), m_draw(draw) {
    g_interrupted = false;
    std::signal(SIGINT, on_sigint);
    // A parent may have blocked SIGINT (and a blocked mask is inherited):
    // unblock it, or Ctrl-C would stay pending until the migration ends.
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &interrupt, nullptr);
}

MigrationView::~MigrationView() { std::signal(SIGINT, SIG_DFL); }

bool MigrationView::progress(const MigrationJob& job) {
    if (g_interrupted) {
        if (m_draw)
            m_err << "\ncancelling: the VM stays where it is (unless post-copy has begun)..." << std::endl;
        return false;
    }
    if (!m_draw || job.data_total == 0)
        return true;
    // What is no longer left to send: bytes sent undercount it, since pages
    // of zeros are skipped, and an idle guest's memory is mostly zeros.
    const double left = static_cast<double>(std::min(job.data_remaining, job.data_total));
    const double done = 1.0 - left / static_cast<double>(job.data_total);
    const int width = 24;
    const int filled = std::min(width, static_cast<int>(done * width));
    m_err << fmt::format("\r[{}{}] pass {} | sent {} | left {} | {}/s | dirty {}/s   ", std::string(filled, '#'),
                         std::string(width - filled, '.'), job.iteration, format_size(job.data_processed),
                         format_size(job.data_remaining), format_size(job.memory_bps),
                         format_size(job.dirty_pages_per_s * job.page_size))
          << std::flush;
    m_drew = true;
    return true;
}

void MigrationView::finish() {
    if (m_drew)
        m_err << std::endl;
}

void print_report(std::ostream& out, const ops::MigrateOptions& options, const ops::MigrationReport& report) {
    out << fmt::format("VM '{}' moved from {} to {} in {:.2f} s\n", options.name, options.source_host,
                       options.dest_host, report.wall_seconds);
    if (report.mode == "paused copy")
        out << "  mode         paused copy: the guest was paused for the whole copy, because live pre-copy under\n"
               "               TCG on QEMU before 9.0 can lose its memory writes (docs/commands.md; --precopy forces it)\n";
    else if (!report.mode.empty())
        out << fmt::format("  mode         {}\n", report.mode);
    if (report.job) {
        out << fmt::format("  job time     {} ms\n", report.job->elapsed_ms);
        if (report.job->downtime_ms)
            out << fmt::format("  downtime     {} ms (the guest was paused {}this long)\n", *report.job->downtime_ms,
                               report.mode == "paused copy" ? "" : "only ");
        out << fmt::format("  transferred  {} in {} pass(es) over memory\n", format_size(report.job->data_processed),
                           report.job->iteration);
    }
    if (report.snapshots_carried > 0)
        out << fmt::format("  snapshots    {} carried across\n", report.snapshots_carried);
    if (report.seq_before && !options.check_heartbeat)
        out << fmt::format("  guest        not checked (--no-heartbeat-check): boot {}, heartbeat {} before\n",
                           report.boot_id, *report.seq_before);
    else if (report.seq_before)
        out << fmt::format("  guest        {}: boot {}, heartbeat {} before, {} after\n",
                           report.kept_running ? "kept running" : "did NOT visibly keep running", report.boot_id,
                           *report.seq_before, report.seq_after ? std::to_string(*report.seq_after) : "none");
    if (const auto& net = report.network) {
        const auto& p = net->probes;
        out << fmt::format("  network      {}: {} of {} probes lost ({}, {:.0f} a second), longest gap {:.0f} ms\n", net->ip,
                           p.lost(), p.sent, p.method == "icmp" ? "ping" : "TCP connects", 1000.0 / p.interval_ms,
                           p.longest_gap_ms);
        if (!net->tcp_kept)
            out << fmt::format("  connection   not tested: {}\n", net->tcp_detail);
        else if (*net->tcp_kept)
            out << "  connection   a TCP connection opened before the move still answered after it\n";
        else
            out << fmt::format("  connection   LOST: a TCP connection opened before the move did not survive it ({})\n",
                               net->tcp_detail);
    }
}

nlohmann::json report_json(const ops::MigrateOptions& options, const ops::MigrationReport& report) {
    nlohmann::json j = {{"name", options.name},
                        {"from", options.source_host},
                        {"to", options.dest_host},
                        {"mode", report.mode},
                        {"wall_seconds", report.wall_seconds},
                        {"boot_id", report.boot_id},
                        {"kept_running", report.kept_running},
                        {"snapshots_carried", report.snapshots_carried},
                        {"heartbeat_before", nullptr},
                        {"heartbeat_after", nullptr},
                        {"job_ms", nullptr},
                        {"downtime_ms", nullptr},
                        {"transferred_bytes", nullptr},
                        {"iterations", nullptr},
                        {"network", nullptr}};
    if (report.seq_before)
        j["heartbeat_before"] = *report.seq_before;
    if (report.seq_after)
        j["heartbeat_after"] = *report.seq_after;
    if (report.job) {
        j["job_ms"] = report.job->elapsed_ms;
        j["transferred_bytes"] = report.job->data_processed;
        j["iterations"] = report.job->iteration;
        if (report.job->downtime_ms)
            j["downtime_ms"] = *report.job->downtime_ms;
    }
    if (const auto& net = report.network) {
        j["network"] = {{"ip", net->ip},
                        {"method", net->probes.method},
                        {"probe_interval_ms", net->probes.interval_ms},
                        {"probes_sent", net->probes.sent},
                        {"probes_lost", net->probes.lost()},
                        {"longest_gap_ms", net->probes.longest_gap_ms},
                        {"tcp_kept", nullptr},
                        {"tcp_detail", net->tcp_detail}};
        if (net->tcp_kept)
            j["network"]["tcp_kept"] = *net->tcp_kept;
    }
    return j;
}

}  // namespace vmctl::cli
