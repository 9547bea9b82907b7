// script: SHELL   (the escape hatch: exit 0 passes; its last line is the reason)
#include "vmctl/teach/checks/check_kinds.h"

#include "vmctl/host/files.h"
#include "vmctl/host/shell.h"

#include <fmt/format.h>

namespace vmctl::teach {
namespace {

class Script final : public Check {
public:
    explicit Script(const CheckArgs& args) : m_run(args.text("run")) {}

    // The author's "because" is the claim: a script says nothing by itself.
    std::string claim() const override { return because.empty() ? "the lab's own check passes" : because; }
    std::string explained(const std::string& reason) const override { return reason; }

    std::optional<std::string> failure(const CheckEnvironment& env) const override {
        const host::ShellResult result = env.run_script(m_run);
        if (result.exit_code == 0 && !result.timed_out)
            return std::nullopt;
        if (result.timed_out)
            return std::string("the check took too long");
        const std::string said = host::last_line(result.output);
        return said.empty() ? fmt::format("the check said no (exit {})", result.exit_code) : said;
    }

private:
    std::string m_run;
};

}  // namespace

CheckKind script_check() { return {"script", {"run"}, {"run"}, "run", read_as<Script>}; }

}  // namespace vmctl::teach
