#include "vmctl/cli/command_line.h"
#include "vmctl/cli/lab_support.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/spawn.h"
#include "vmctl/ops/dashboard.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/teach/collect.h"
#include "vmctl/web/dashboard_page.h"
#include "vmctl/web/dashboard_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace vmctl::cli::commands {

namespace {

// The class page's content: every 2 s, this machine's lab progress files as
// `lab collect` reads them, published when it changed. On a thread of its own.
class ClassWatcher {
public:
    ClassWatcher(web::DashboardHub& hub, std::vector<teach::LabColumns> labs, std::string own_state)
        : m_hub(hub), m_labs(std::move(labs)), m_own_state(std::move(own_state)),
          m_thread([this](std::stop_token stop) { run(stop); }) {}

private:
    void run(std::stop_token stop) {
        std::string last;
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            try {
                std::string json = teach::collection_json_line(teach::collect_this_machine(m_labs, m_own_state));
                if (json != last) {
                    last = std::move(json);
                    m_hub.publish("class", last);
                }
            } catch (const std::exception& e) {
                spdlog::debug("class progress not read: {}", e.what());  // a file being rewritten: next time
            }
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, std::chrono::seconds(2), [] { return false; });
        }
    }

    web::DashboardHub& m_hub;
    std::vector<teach::LabColumns> m_labs;
    std::string m_own_state;
    std::jthread m_thread;  // last: starts after everything above is set
};

}  // namespace

int dashboard(Context& context, const Args& args) {
    CommandLine cli("dashboard [--port N] [--listen ADDR] [--open]",
                    "Serves a live, read-only web page of every known host (this machine's libvirt, the\n"
                    "lab hosts, registered hosts) and their VMs: state, vCPUs, memory given and used, CPU %,\n"
                    "address, labels and each host's totals; a migration is drawn crossing from one host to\n"
                    "the other, a drain as its host emptying. It follows libvirt's events, so a change shows\n"
                    "within a second; CPU and memory refresh every 1.5 s. A second page, for the instructor's\n"
                    "own screen, shows the class's lab progress live ('lab collect'). Both URLs carry a token\n"
                    "(every user of this machine can reach its localhost). Ctrl-C stops it.");
    cli.add()("port", po::value<unsigned>()->default_value(8086), "TCP port to serve on")(
        "listen", po::value<std::string>(),
        "serve on this address (0.0.0.0: every one) for a room to see, instead of 127.0.0.1")(
        "open", "open the page in the desktop's browser (xdg-open)");
    cli.examples("  vmctl dashboard --open\n  vmctl dashboard --listen 0.0.0.0 --port 8080\n");
    if (!cli.parse(args, context.out()))
        return 0;
    // Under sudo it would show every student's VMs (and, with --listen, to the
    // room): the class's whole picture is for instructors, as `lab collect` is.
    host::require_instructor("the dashboard of every VM on this machine",
                             "without sudo, 'vmctl dashboard' shows your own VMs");
    const unsigned port = cli.get<unsigned>("port");
    if (port == 0 || port > 65535)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--port {} is not a TCP port", port),
                    "give a number from 1 to 65535, e.g. --port 8086");
    web::ServerOptions options;
    options.port = static_cast<unsigned short>(port);
    if (const auto listen = cli.get_optional<std::string>("listen"))
        options.address = *listen;
    // Always a token: localhost is every user's of this machine, and a
    // projected URL must not open the class page, which has its own.
    options.token = web::random_token();
    options.class_token = web::random_token();
    web::DashboardHub hub;
    web::DashboardHub class_hub;
    web::DashboardServer server(options, hub, std::string(web::dashboard_page()),
                                {&class_hub, std::string(web::class_page())});

    std::vector<teach::LabColumns> labs;
    std::string own_state;
    try {
        LabSession session(context);
        labs = teach::lab_columns(session.labs());
        own_state = session.world().state_path;
    } catch (const Error& e) {
        context.err() << "note: the class page shows no lab columns: " << e.line() << '\n';
    }
    const ClassWatcher class_watcher(class_hub, std::move(labs), own_state);

    // This user's libvirt first, then every registered host, each watched on a
    // thread of its own; the registry is read again every second, so lab
    // hosts brought up (or down) while the page is open come and go on it,
    // and a drain shows on its host.
    const auto watch = [&context, &hub](const std::string& name, const std::string& uri, ops::Environment env) {
        return std::make_unique<ops::HostWatcher>(
            name, uri, [&context](const std::string& u) { return context.connect(u); },
            [&hub](const std::string& host, const std::string& json) { hub.publish(host, json); },
            std::chrono::milliseconds(1500), std::move(env));
    };
    const auto registered = [&context] {
        std::map<std::string, host::HostEntry> entries;  // by name
        for (const auto& h : ops::registered_hosts(context.env(), {context.uri()}))
            entries[h.name] = h;
        return entries;
    };
    const auto local = watch(context.host_name(), context.uri(), context.env());
    std::map<std::string, host::HostEntry> known = registered();
    std::map<std::string, std::unique_ptr<ops::HostWatcher>> watchers;
    const auto follow = [&] {
        for (const auto& [name, entry] : known) {
            auto& watcher = watchers[name];
            if (!watcher)
                watcher = watch(name, entry.uri, context.other_host_env());
            watcher->set_draining(host::draining(entry) ? entry.draining_to : "");
        }
    };
    follow();

    const std::string shown = options.address == "0.0.0.0" ? "HOSTNAME-OR-ADDRESS" : options.address;
    const std::string base = fmt::format("http://{}:{}/", shown, server.port());
    const std::string url = base + "?token=" + options.token;
    context.out() << "vmctl dashboard: " << url << " (" << known.size() + 1 << " host"
                  << (known.empty() ? "" : "s") << "; Ctrl-C stops it)\n"
                  << "class progress, for your own screen, not the projector: " << base
                  << "class?token=" << options.class_token << '\n';
    if (cli.has("open")) {
        try {
            if (host::run_program({"xdg-open", url}, host::Stdio::Quiet) != 0)
                context.out() << "xdg-open could not open it; open the URL above in a browser\n";
        } catch (const Error&) {  // OperationFailed: no xdg-open on this machine
            context.out() << "no xdg-open here; open the URL above in a browser\n";
        }
    }
    context.out() << std::flush;
    std::jthread serving([&server] { server.run(); });
    for (;;) {  // until Ctrl-C or SIGTERM ends the process
        std::this_thread::sleep_for(std::chrono::seconds(1));
        std::map<std::string, host::HostEntry> now;
        try {
            now = registered();
        } catch (const Error&) {
            continue;  // the registry in the middle of a rewrite: next time
        }
        for (auto it = watchers.begin(); it != watchers.end();) {
            const auto found = now.find(it->first);
            if (found == now.end() || found->second.uri != known[it->first].uri) {
                const std::string name = it->first;
                it = watchers.erase(it);  // joins its thread before the page hears it is gone
                hub.remove(name);
            } else {
                ++it;
            }
        }
        known = std::move(now);
        follow();
    }
}

}  // namespace vmctl::cli::commands
