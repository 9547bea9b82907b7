#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/host/files.h"
#include "vmctl/host/spawn.h"
#include "vmctl/ops/dashboard.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/web/dashboard_page.h"
#include "vmctl/web/dashboard_server.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

namespace vmctl::cli::commands {

int dashboard(Context& context, const Args& args) {
    CommandLine cli("dashboard [--port N] [--listen ADDR] [--open]",
                    "Serves a live, read-only web page of every known host (this machine's libvirt, the\n"
                    "lab hosts, registered hosts) and their VMs: state, vCPUs, memory given and used, CPU %,\n"
                    "address, labels and each host's totals. It follows libvirt's events, so a change shows\n"
                    "within a second; CPU and memory refresh every 1.5 s. Ctrl-C stops it.");
    cli.add()("port", po::value<unsigned>()->default_value(8086), "TCP port to serve on")(
        "listen", po::value<std::string>(),
        "serve on this address (0.0.0.0: every one) for a room to see; the URL then needs the printed token")(
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
    if (const auto listen = cli.get_optional<std::string>("listen")) {
        options.address = *listen;
        options.token = web::random_token();  // a page others can reach shows only with its token
    }
    web::DashboardHub hub;
    web::DashboardServer server(options, hub, std::string(web::dashboard_page()));

    // This user's libvirt first, then every registered host, each watched on a
    // thread of its own; the registry is read again every few seconds, so lab
    // hosts brought up (or down) while the page is open come and go on it.
    const auto watch = [&context, &hub](const std::string& name, const std::string& uri) {
        return std::make_unique<ops::HostWatcher>(
            name, uri, [&context](const std::string& u) { return context.connect(u); },
            [&hub](const std::string& host, const std::string& json) { hub.publish(host, json); },
            std::chrono::milliseconds(1500), context.env());
    };
    const auto registered = [&context] {
        std::map<std::string, std::string> uris;  // name -> URI
        for (const auto& h : ops::registered_hosts(context.env(), {context.uri()}))
            uris[h.name] = h.uri;
        return uris;
    };
    const auto local = watch(context.host_name(), context.uri());
    std::map<std::string, std::string> known = registered();
    std::map<std::string, std::unique_ptr<ops::HostWatcher>> watchers;
    for (const auto& [name, uri] : known)
        watchers[name] = watch(name, uri);

    const std::string shown = options.address == "0.0.0.0" ? "HOSTNAME-OR-ADDRESS" : options.address;
    std::string url = fmt::format("http://{}:{}/", shown, server.port());
    if (!options.token.empty())
        url += "?token=" + options.token;
    context.out() << "vmctl dashboard: " << url << " (" << known.size() + 1 << " host"
                  << (known.empty() ? "" : "s") << "; Ctrl-C stops it)\n";
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
        std::this_thread::sleep_for(std::chrono::seconds(3));
        std::map<std::string, std::string> now;
        try {
            now = registered();
        } catch (const Error&) {
            continue;  // the registry in the middle of a rewrite: next time
        }
        for (auto it = watchers.begin(); it != watchers.end();) {
            const auto found = now.find(it->first);
            if (found == now.end() || found->second != known[it->first]) {
                const std::string name = it->first;
                it = watchers.erase(it);  // joins its thread before the page hears it is gone
                hub.remove(name);
            } else {
                ++it;
            }
        }
        for (const auto& [name, uri] : now)
            if (!watchers.count(name))
                watchers[name] = watch(name, uri);
        known = std::move(now);
    }
}

}  // namespace vmctl::cli::commands
