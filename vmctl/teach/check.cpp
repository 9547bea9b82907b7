#include "vmctl/teach/check.h"

#include "vmctl/core/error.h"

#include <algorithm>
#include <regex>

namespace vmctl::teach {

std::chrono::milliseconds patience(const CheckEnvironment& env, std::chrono::milliseconds usual) {
    if (!env.patient)
        return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(usual.count()) * env.slowness));
}

CheckResult evaluate_check(const Check& check, const CheckEnvironment& env) {
    CheckResult result;
    result.what = check.claim();
    std::optional<std::string> reason;
    try {
        reason = check.failure(env);
    } catch (const Error& e) {
        reason = e.line();
    } catch (const std::regex_error& e) {
        // A pattern the parser let through that this regex engine still
        // refuses on the text it meets: the lab author's to fix, shown here.
        reason = std::string("the check's pattern failed: ") + e.what();
    } catch (const std::exception& e) {
        // All other failures to look (a host that went away mid-call, a file
        // that vanished) fail this one check with their reason: the student
        // sees it beside the other checks instead of losing the whole report.
        reason = e.what();
    }
    result.passed = !reason.has_value();
    if (result.passed)
        result.what = check.claim_passed(env);
    else
        result.reason = check.explained(*reason);
    return result;
}

std::vector<CheckResult> evaluate_checks(const std::vector<std::unique_ptr<Check>>& checks,
                                         const CheckEnvironment& env) {
    std::vector<CheckResult> results;
    results.reserve(checks.size());
    for (const auto& check : checks)
        results.push_back(evaluate_check(*check, env));
    return results;
}

bool all_passed(const std::vector<CheckResult>& results) {
    return std::all_of(results.begin(), results.end(), [](const CheckResult& r) { return r.passed; });
}

}  // namespace vmctl::teach
