// snapshot_exists: {vm: NAME, snapshot: SNAP, host: HOST}
#include "vmctl/teach/checks/check_kinds.h"
#include "vmctl/teach/checks/vm_check.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class SnapshotExists final : public VmCheck {
public:
    explicit SnapshotExists(const CheckArgs& args) : VmCheck(args), m_snapshot(args.text("snapshot")) {}

    std::string claim() const override { return fmt::format("VM '{}' has a snapshot '{}'", m_vm, m_snapshot); }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        std::vector<SnapshotInfo> snapshots;
        return find_snapshot(env, m_snapshot, snapshots);
    }

private:
    std::string m_snapshot;
};

}  // namespace

CheckKind snapshot_exists_check() {
    return {"snapshot_exists", {"vm", "snapshot", "host"}, {"vm", "snapshot"}, "", read_as<SnapshotExists>};
}

}  // namespace vmctl::teach
