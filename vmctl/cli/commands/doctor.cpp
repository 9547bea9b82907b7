#include "vmctl/cli/command_line.h"
#include "vmctl/cli/commands/commands.h"
#include "vmctl/core/error.h"
#include "vmctl/ops/doctor.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmctl::cli::commands {

int doctor(Context& context, const Args& args) {
    CommandLine cli("doctor [--json]",
                    "Checks this host: libvirt, QEMU, which accelerator VMs will use and why, the storage pool,\n"
                    "the guest image, free disk and memory. Every failed check prints the command that fixes it.");
    cli.add()("json", "print JSON for scripts");
    cli.examples("  vmctl doctor\n");
    if (!cli.parse(args, context.out()))
        return 0;

    Hypervisor* hv = nullptr;
    std::string connect_error;
    try {
        hv = &context.hypervisor();
    } catch (const Error& e) {
        connect_error = e.what();
    }
    const auto checks = ops::run_doctor(hv, connect_error, context.env());
    bool all_ok = true;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& check : checks) {
        all_ok = all_ok && check.ok;
        if (cli.has("json")) {
            rows.push_back({{"check", check.name}, {"ok", check.ok}, {"detail", check.detail}, {"fix", check.fix}});
            continue;
        }
        context.out() << fmt::format("{} {:<13} {}\n", check.ok ? "✓" : "✗", check.name, check.detail);
        if (!check.ok && !check.fix.empty())
            context.out() << fmt::format("  {:<13} fix: {}\n", "", check.fix);
    }
    if (cli.has("json"))
        context.out() << rows.dump(2) << '\n';
    if (!all_ok)
        throw Error(ErrorKind::HostCheckFailed, "some host checks failed", "run the fix commands shown above");
    if (!cli.has("json"))
        context.out() << "All checks passed. Try: vmctl create hello\n";
    return 0;
}

}  // namespace vmctl::cli::commands
