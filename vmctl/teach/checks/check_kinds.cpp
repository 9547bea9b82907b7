#include "vmctl/teach/checks/check_kinds.h"

namespace vmctl::teach {

const std::vector<CheckKind>& check_kinds() {
    static const std::vector<CheckKind> table{
        vm_exists_check(),
        vm_absent_check(),
        vm_state_check(),
        vm_cpus_check(),
        vm_memory_check(),
        snapshot_exists_check(),
        snapshot_current_check(),
        vm_on_host_check(),
        migrated_check(),
        label_check(),
        vms_with_label_check(),
        serial_log_check(),
        guest_command_check(),
        answer_check(),
        choice_check(),
        number_check(),
        predict_check(),
        script_check(),
    };
    return table;
}

}  // namespace vmctl::teach
