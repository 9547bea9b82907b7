#pragma once

#include "vmctl/core/hypervisor.h"
#include "vmctl/ops/environment.h"
#include "vmctl/ops/hosts.h"
#include "vmctl/ops/image.h"

#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

namespace vmctl::cli {

// Opens a Hypervisor for a URI: the libvirt adapter in the real binary, an
// in-memory fake in unit tests.
using HypervisorFactory = std::function<std::unique_ptr<Hypervisor>(const std::string& uri)>;

// What every subcommand gets: where to write, and the hypervisor, connected
// on first use so that commands that need no daemon never open one.
class Context {
public:
    // `host` is a name from the host registry (--host); it gives the URI.
    Context(std::ostream& out, std::ostream& err, std::string uri_override, std::string host,
            HypervisorFactory factory);

    std::ostream& out() { return m_out; }
    std::ostream& err() { return m_err; }

    // The connection, opened once per run; throws Error(Unreachable) with the
    // command that starts libvirt when the daemon does not answer.
    Hypervisor& hypervisor();

    // The URI in use: --connect, then VMCTL_URI, then LIBVIRT_DEFAULT_URI,
    // then qemu:///system for root and qemu:///session for other users.
    const std::string& uri() const { return m_uri; }

    const ops::Environment& env();

    // env() for a registered host's VMs, whose addresses this machine's DHCP
    // server knows when they are on a lab host: its segment_leases is set even
    // when no lab host was up as this run began (the dashboard runs for hours
    // while hosts come and go). Safe to use from other threads.
    ops::Environment other_host_env();

    // The host name in use (--host), or "local" for the default connection.
    const std::string& host_name() const { return m_host; }

    // A second connection, to another host (migration, hosts list).
    std::unique_ptr<Hypervisor> connect(const std::string& uri);

    // Every registered host but this connection's, each connected once and
    // kept for the run; one that does not answer is named in a warning and
    // left out (`list --all-hosts`, `top --all-hosts`).
    ops::HostList other_hosts();

    // What the VMs of every other host use (this user's default connection
    // when --host chose another, and every registered host, each once): they
    // share vmctl's folders and pool. A host that does not answer is named
    // in a warning and in the result's `unreachable`.
    ops::UseElsewhere use_elsewhere();

    // Progress lines for a waiting person go to stderr, never to stdout.
    ops::Progress progress();

    // Asks a yes/no question on the terminal. Without a terminal (a script)
    // it throws Error(Usage) telling to pass `yes_flag` instead of guessing.
    bool confirm(const std::string& question, const std::string& yes_flag);

private:
    std::vector<DhcpLease> segment_leases(const std::string& network);
    // Snapshot metadata a killed or failed move set aside goes back first.
    void restore_interrupted_moves();

    std::ostream& m_out;
    std::ostream& m_err;
    std::string m_uri;
    std::string m_host;
    std::string m_local_disks;  // the pool folder of a --host with local disks, else empty
    HypervisorFactory m_factory;
    std::unique_ptr<Hypervisor> m_hypervisor;
    std::vector<std::unique_ptr<Hypervisor>> m_others;  // other_hosts() and use_elsewhere()'s connections
    std::unique_ptr<Hypervisor> m_segment;  // this machine's daemon, for the leases lab hosts' VMs take here
    std::mutex m_segment_mutex;             // the dashboard's host watchers ask from their threads
    std::unique_ptr<ops::Environment> m_env;
};

// The default URI for this user, as described above (without --connect).
std::string default_uri();

}  // namespace vmctl::cli
