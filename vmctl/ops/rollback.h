#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vmctl::ops {

// Undo steps for a multi-step operation. Unless commit() is called, the
// destructor runs them newest first, so a failed command leaves nothing
// half-made. An undo step that fails is logged and the others still run.
class Rollback {
public:
    Rollback() = default;
    Rollback(const Rollback&) = delete;
    Rollback& operator=(const Rollback&) = delete;
    ~Rollback();

    void add(std::string what, std::function<void()> undo);
    void commit() { m_steps.clear(); }

private:
    std::vector<std::pair<std::string, std::function<void()>>> m_steps;
};

}  // namespace vmctl::ops
