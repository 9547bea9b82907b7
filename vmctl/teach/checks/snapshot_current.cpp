// snapshot_current: {vm: NAME, snapshot: SNAP, host: HOST}
// (the snapshot the VM was last reverted to, or last taken)
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::teach {
namespace {

class SnapshotCurrent final : public VmCheck {
public:
    explicit SnapshotCurrent(const CheckArgs& args) : VmCheck(args), m_snapshot(args.text("snapshot")) {}

    std::string claim() const override {
        return fmt::format("VM '{}' was last reverted to (or snapshotted as) '{}'", m_vm, m_snapshot);
    }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        std::vector<SnapshotInfo> snapshots;
        if (auto missing = find_snapshot(env, m_snapshot, snapshots))
            return missing;
        const auto current =
            std::find_if(snapshots.begin(), snapshots.end(), [](const SnapshotInfo& s) { return s.current; });
        if (current == snapshots.end())
            return std::string("no snapshot is current");
        if (current->name == m_snapshot)
            return std::nullopt;
        return fmt::format("its current snapshot is '{}'", current->name);
    }

private:
    std::string m_snapshot;
};

}  // namespace

CheckKind snapshot_current_check() {
    return {"snapshot_current", {"vm", "snapshot", "host"}, {"vm", "snapshot"}, "", read_as<SnapshotCurrent>};
}

}  // namespace vmctl::teach
