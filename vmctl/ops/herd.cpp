#include "vmctl/ops/herd.h"

#include "vmctl/core/domain_xml.h"
#include "vmctl/core/error.h"
#include "vmctl/core/names.h"
#include "vmctl/host/interrupt.h"
#include "vmctl/ops/delete.h"
#include "vmctl/ops/rollback.h"
#include "vmctl/ops/wait.h"

#include <fmt/format.h>

#include <chrono>
#include <exception>
#include <future>

namespace vmctl::ops {

HerdResult create_herd(Hypervisor& hv, const Environment& env, const CreateOptions& options, unsigned count,
                       const Progress& progress) {
    if (count < 1 || count > kMaxHerd)
        throw Error(ErrorKind::InvalidArgument, fmt::format("--count {} is out of range", count),
                    fmt::format("choose between 1 and {}", kMaxHerd));
    validate_vm_name(options.name);
    validate_vm_name(fmt::format("{}-{}", options.name, count));  // the longest member name fits too
    for (unsigned i = 1; i <= count; ++i) {
        const std::string name = fmt::format("{}-{}", options.name, i);
        if (hv.domain_exists(name))
            throw Error(ErrorKind::AlreadyExists, fmt::format("a VM named '{}' already exists", name),
                        fmt::format("choose another group name, or remove the old herd with "
                                    "'vmctl delete --label group={}'",
                                    options.name));
    }

    const auto started = std::chrono::steady_clock::now();
    HerdResult result;
    Rollback rollback;
    for (unsigned i = 1; i <= count; ++i) {
        CreateOptions member = options;
        member.name = fmt::format("{}-{}", options.name, i);
        member.labels["group"] = options.name;
        member.labels["kind"] = "cattle";
        member.wait = false;
        host::throw_if_interrupted("making the herd");
        result.members.push_back(create_vm(hv, env, member, [](std::string_view) {}));
        rollback.add(fmt::format("remove '{}'", member.name),
                     [&hv, &env, name = member.name] { delete_vm(hv, env, name, true); });
        progress(fmt::format("started {}", member.name));
    }

    if (!options.wait) {  // --no-wait: started is enough
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        rollback.commit();
        return result;
    }
    progress(fmt::format("waiting for {} VMs to boot...", count));
    std::vector<std::future<ReadyWait>> waits;
    for (const auto& member : result.members) {
        const std::string log = parse_domain_xml(hv.domain_xml(member.name)).serial_log;
        waits.push_back(std::async(std::launch::async, [&hv, member, log, &options] {
            return wait_for_ready(hv, member.name, log, ready_timeout(member.cloud_init, options.ready_timeout), {},
                                  member.imported_image);
        }));
    }
    std::exception_ptr failure;
    for (std::size_t i = 0; i < waits.size(); ++i) {
        try {
            const ReadyWait ready = waits[i].get();
            result.members[i].ready_line = ready.line;
            result.members[i].ready = ready.parsed;
        } catch (...) {
            // Every wait is collected before anything is thrown (a future left
            // unread would block in its destructor); the first failure, of any
            // kind, is rethrown below and the rollback removes the herd.
            if (!failure)
                failure = std::current_exception();
        }
    }
    if (failure)
        std::rethrow_exception(failure);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    rollback.commit();
    return result;
}

}  // namespace vmctl::ops
