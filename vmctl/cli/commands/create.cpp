#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/chipset.h"
#include "vmctl/core/error.h"
#include "vmctl/core/machine_type.h"
#include "vmctl/core/size.h"
#include "vmctl/host/files.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/ops/create.h"
#include "vmctl/ops/herd.h"
#include "vmctl/ops/network.h"

#include <fmt/format.h>

#include <filesystem>

namespace vmctl::cli::commands {
namespace {

std::string machine_type_help() {
    std::string text = "size preset: ";
    bool first = true;
    for (const MachineType& type : machine_types()) {
        text += fmt::format("{}{} ({})", first ? "" : ", ", type.name, type.description);
        first = false;
    }
    return text + "; without it: 1 vCPU, 256 MiB";
}

std::string read_startup_script(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorKind::InvalidArgument, fmt::format("the startup script '{}' is not a readable file", path),
                    "give the path of a shell script, e.g. --startup-script ./hello.sh");
    return host::read_named_file(path, "startup script");
}

// The ready line is out; now the address, which DHCP gives about a second later.
void print_address(Context& context, const ops::CreateResult& result) {
    if (result.nic.network.empty())
        return;
    const auto started = std::chrono::steady_clock::now();
    const ops::AddressWait wait = ops::wait_for_address(context.hypervisor(), result.name, result.serial_log,
                                                        std::chrono::seconds(10));
    if (wait.address) {
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        context.out() << fmt::format("address: {} on network '{}' ({:.2f} s after ready); reach it with "
                                     "'vmctl ssh {}' or http://{}/\n",
                                     wait.address->ip, result.nic.network, waited, result.name, wait.address->ip);
    } else {
        context.out() << fmt::format("address: none yet ({}); the VM is running: 'vmctl info {}' shows the "
                                     "address once it has one, 'vmctl logs {}' its DHCP lines\n",
                                     wait.problem, result.name, result.name);
    }
}

int create_herd(Context& context, const ops::CreateOptions& options, unsigned count) {
    ops::HerdResult herd;
    {
        // Ctrl-C while the herd is made or boots removes all of it, as an error would.
        const host::InterruptGuard interrupt;
        herd = ops::create_herd(context.hypervisor(), context.env(), options, count, context.progress());
    }
    if (options.wait)
        for (const auto& member : herd.members)
            context.out() << member.ready_line << '\n';
    for (const auto& member : herd.members)
        if (member.ready)
            print_address(context, member);
    if (!options.wait)
        context.out() << fmt::format("{} VMs of group '{}' are starting (not waited for); 'vmctl list --label "
                                     "group={}' shows them\n",
                                     herd.members.size(), options.name, options.name);
    else
        context.out() << fmt::format("{} VMs of group '{}' are running ({:.1f} s for all); remove them all with "
                                     "'vmctl delete --label group={}'\n",
                                     herd.members.size(), options.name, herd.seconds, options.name);
    return 0;
}

}  // namespace

int create(Context& context, const Args& args) {
    CommandLine cli("create NAME [options]",
                    "Creates a VM with its own disk, starts it, and waits until the guest prints its ready line.\n"
                    "The flags are spelled like `gcloud compute instances create`.");
    cli.positional("NAME", 1, "the VM's name: 1-63 of a-z, 0-9 and '-', starting with a letter");
    cli.add()("machine-type", po::value<std::string>(), machine_type_help().c_str())(
        "cpus", po::value<int>(), "number of vCPUs (overrides the machine type)")(
        "memory", po::value<std::string>(), "memory, e.g. 512M or 1G (overrides the machine type)")(
        "max-cpus", po::value<int>(), "most vCPUs 'vmctl resize' can give it live (default: twice --cpus)")(
        "max-memory", po::value<std::string>(), "most memory 'vmctl resize' can give it live (default: twice --memory)")(
        "disk-size", po::value<std::string>(), "size of the VM's disk, e.g. 2G (default 1G)")(
        "image", po::value<std::string>()->default_value("tiny"), "guest image to boot")(
        "startup-script", po::value<std::string>(), "shell script the guest runs after it boots")(
        "cloud-init", po::value<std::string>(),
        "a whole cloud-init user-data file (#cloud-config), for images with cloud-init (debian-12)")(
        "network", po::value<std::string>(),
        "libvirt network for the VM's NIC (default: vmctl, where the host has it); none: no NIC")(
        "accel", po::value<std::string>()->default_value("auto"),
        "auto, kvm or tcg: auto uses KVM only where it really works")(
        "chipset", po::value<std::string>()->default_value("q35"),
        "virtual motherboard: q35 (PCI Express, boots fast) or pc (the older i440FX)")(
        "label", po::value<std::vector<std::string>>(), "KEY=VALUE label (repeatable)")(
        "count", po::value<int>(), "cattle: make NAME-1..NAME-N, labelled group=NAME kind=cattle, booted in parallel")(
        "protect", "a pet: label kind=pet, and 'vmctl delete' refuses it until 'vmctl unprotect'")(
        "no-wait", "return once the VM is started, without waiting for it to be ready")(
        "timeout", po::value<unsigned>()->default_value(180), "seconds to wait for the ready line (at least 900 for an image with cloud-init)");
    cli.examples("  vmctl create hello\n"
                 "  vmctl create web --machine-type e2-small --label tier=frontend\n"
                 "  vmctl create db --cpus 2 --memory 512M --disk-size 4G --startup-script ./setup.sh --protect\n"
                 "  vmctl create web --count 3 --image web-golden\n"
                 "  vmctl create web --image debian-12 --startup-script ./web.sh\n");
    if (!cli.parse(args, context.out()))
        return 0;

    ops::CreateOptions options;
    options.name = cli.required("NAME");
    if (auto type = cli.get_optional<std::string>("machine-type"))
        options.machine_type = *type;
    if (auto cpus = cli.get_optional<int>("cpus")) {
        if (*cpus < 1 || *cpus > static_cast<int>(ops::kMaxVcpus))
            throw Error(ErrorKind::InvalidArgument, fmt::format("--cpus {} is out of range", *cpus),
                        fmt::format("choose between 1 and {}", ops::kMaxVcpus));
        options.vcpus = static_cast<unsigned>(*cpus);
    }
    if (auto max_cpus = cli.get_optional<int>("max-cpus")) {
        if (*max_cpus < 1 || *max_cpus > static_cast<int>(ops::kMaxVcpus))
            throw Error(ErrorKind::InvalidArgument, fmt::format("--max-cpus {} is out of range", *max_cpus),
                        fmt::format("choose between 1 and {}", ops::kMaxVcpus));
        options.max_vcpus = static_cast<unsigned>(*max_cpus);
    }
    if (auto max_memory = cli.get_optional<std::string>("max-memory"))
        options.max_memory_bytes = parse_size(*max_memory, "--max-memory");
    if (auto memory = cli.get_optional<std::string>("memory"))
        options.memory_bytes = parse_size(*memory, "--memory");
    if (auto disk = cli.get_optional<std::string>("disk-size"))
        options.disk_bytes = parse_size(*disk, "--disk-size");
    options.image = cli.get<std::string>("image");
    if (auto script = cli.get_optional<std::string>("startup-script"))
        options.startup_script = read_startup_script(*script);
    if (auto file = cli.get_optional<std::string>("cloud-init"))
        options.cloud_init = host::read_named_file(*file, "cloud-init user-data file");
    options.network = parse_network_request(cli.get_optional<std::string>("network").value_or(""));
    options.accel = parse_accel_request(cli.get<std::string>("accel"));
    options.chipset = parse_chipset(cli.get<std::string>("chipset"));
    options.labels = parse_labels(cli.get_optional<std::vector<std::string>>("label").value_or(Args{}));
    options.wait = !cli.has("no-wait");
    options.protect = cli.has("protect");
    options.ready_timeout = std::chrono::seconds(cli.get<unsigned>("timeout"));

    if (auto count = cli.get_optional<int>("count")) {
        if (options.protect)
            throw Error(ErrorKind::InvalidArgument, "--count makes cattle and --protect makes a pet",
                        "drop one of them: protect single VMs, not herds");
        if (*count < 1 || *count > static_cast<int>(ops::kMaxHerd))
            throw Error(ErrorKind::InvalidArgument, fmt::format("--count {} is out of range", *count),
                        fmt::format("choose between 1 and {}", ops::kMaxHerd));
        return create_herd(context, options, static_cast<unsigned>(*count));
    }
    ops::CreateResult result;
    {
        // Ctrl-C while the VM is made or boots removes it, as an error would.
        const host::InterruptGuard interrupt;
        result = ops::create_vm(context.hypervisor(), context.env(), options, context.progress());
    }
    auto& out = context.out();
    if (result.ready || result.cloud_init) {
        out << result.ready_line << '\n';
        out << fmt::format("VM '{}' is running under {}: define {:.2f} s, start {:.2f} s, boot to ready {:.2f} s\n",
                           result.name, accel_name(result.accel.accel), result.define_seconds, result.start_seconds,
                           result.boot_seconds);
        if (result.cloud_init)
            out << fmt::format("cloud-init finished{}{}\n",
                               result.cloud_init_report.status.empty()
                                   ? ""
                                   : fmt::format(" ({})", result.cloud_init_report.status),
                               result.cloud_init_report.startup_exit ? "; the startup script succeeded" : "");
        print_address(context, result);
    } else {
        out << fmt::format("VM '{}' is starting under {} (define {:.2f} s, start {:.2f} s); "
                           "see it boot with 'vmctl logs {} -f'\n",
                           result.name, accel_name(result.accel.accel), result.define_seconds, result.start_seconds,
                           result.name);
    }
    return 0;
}

}  // namespace vmctl::cli::commands
