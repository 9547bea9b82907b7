#pragma once

#include "vmctl/teach/check.h"

#include <optional>
#include <string>

namespace vmctl::teach {

// A `predict` check as the lab flow sees it: `vmctl lab answer` records a
// prediction without judging it, refuses one given once its step is past,
// and refuses a value that cannot be one (see predict.cpp for the kind).
class Prediction {
public:
    virtual ~Prediction() = default;
    virtual const std::string& prediction_key() const = 0;
    // Why `value` cannot be this prediction (not one of its options, not a
    // number), or nothing when it can; nothing too when this check does not know.
    virtual std::optional<std::string> refused(const std::string& value) const = 0;
};

// The check as a prediction, or null when it is another kind.
inline const Prediction* as_prediction(const Check& check) { return dynamic_cast<const Prediction*>(&check); }

}  // namespace vmctl::teach
