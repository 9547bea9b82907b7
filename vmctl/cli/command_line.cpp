#include "vmctl/cli/command_line.h"

#include "vmctl/core/error.h"
#include "vmctl/core/suggest.h"

#include <fmt/format.h>

#include <algorithm>

namespace vmctl::cli {

CommandLine::CommandLine(std::string usage, std::string summary)
    : m_usage(std::move(usage)), m_summary(std::move(summary)), m_options("Options") {
    m_options.add_options()("help,h", "show this help");
}

void CommandLine::positional(const char* name, int count, std::string description) {
    m_options.add_options()(name, po::value<std::vector<std::string>>(), "");
    m_positional.add(name, count);
    m_positional_help.emplace_back(name, std::move(description));
}

std::string CommandLine::required(const char* name) const {
    if (!has(name) || m_values[name].as<std::vector<std::string>>().empty())
        throw Error(ErrorKind::Usage, fmt::format("missing {}", name),
                    fmt::format("usage: vmctl {} (see --help)", m_usage));
    return m_values[name].as<std::vector<std::string>>().front();
}

std::optional<std::string> CommandLine::optional(const char* name) const {
    if (!has(name) || m_values[name].as<std::vector<std::string>>().empty())
        return std::nullopt;
    return m_values[name].as<std::vector<std::string>>().front();
}

namespace {

// Whether the option takes an unsigned number, which Boost would read from
// "-5" as 4294967291 instead of refusing it.
bool takes_unsigned(const po::option_description& option) {
    const auto* semantic = option.semantic().get();
    return dynamic_cast<const po::typed_value<unsigned>*>(semantic) != nullptr ||
           dynamic_cast<const po::typed_value<unsigned long>*>(semantic) != nullptr ||
           dynamic_cast<const po::typed_value<unsigned long long>*>(semantic) != nullptr;
}

}  // namespace

bool CommandLine::parse(const Args& args, std::ostream& out) {
    const std::string first_word = m_usage.substr(0, m_usage.find(' '));
    try {
        const po::parsed_options parsed =
            po::command_line_parser(args)
                .options(m_options)
                .positional(m_positional)
                .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
                .run();
        for (const po::option& given : parsed.options) {
            const auto* option = m_options.find_nothrow(given.string_key, false);
            if (option == nullptr || !takes_unsigned(*option))
                continue;
            for (const std::string& value : given.value)
                if (value.find('-') != std::string::npos)
                    throw Error(ErrorKind::InvalidArgument,
                                fmt::format("--{} {} is negative", given.string_key, value),
                                fmt::format("give a whole number of 0 or more (see 'vmctl {} --help')", first_word));
        }
        po::store(parsed, m_values);
        po::notify(m_values);
    } catch (const po::unknown_option& e) {
        std::vector<std::string> names;
        for (const auto& option : m_options.options())
            if (!option->long_name().empty() && option->description() != "")
                names.push_back("--" + option->long_name());
        std::string hint = fmt::format("see 'vmctl {} --help'", first_word);
        if (auto close = closest_match(e.get_option_name(), names))
            hint = fmt::format("did you mean '{}'? ({})", *close, hint);
        throw Error(ErrorKind::Usage, fmt::format("unknown option '{}'", e.get_option_name()), hint);
    } catch (const po::validation_error& e) {
        throw Error(ErrorKind::InvalidArgument, e.what(), fmt::format("see 'vmctl {} --help'", first_word));
    } catch (const po::too_many_positional_options_error&) {
        throw Error(ErrorKind::Usage, "too many arguments", fmt::format("usage: vmctl {}", m_usage));
    } catch (const po::error& e) {
        throw Error(ErrorKind::Usage, e.what(), fmt::format("see 'vmctl {} --help'", first_word));
    }
    if (has("help")) {
        print_help(out);
        return false;
    }
    return true;
}

void CommandLine::print_help(std::ostream& out) const {
    out << "Usage: vmctl " << m_usage << "\n\n" << m_summary << "\n";
    if (!m_positional_help.empty()) {
        out << "\nArguments:\n";
        for (const auto& [name, description] : m_positional_help)
            out << fmt::format("  {:<22} {}\n", name, description);
    }
    // Positional arguments are registered as hidden options; show only the rest.
    po::options_description visible("Options");
    for (const auto& option : m_options.options())
        if (!option->description().empty())
            visible.add(option);
    out << "\n" << visible;
    if (!m_examples.empty())
        out << "\nExamples:\n" << m_examples;
}

SplitArgs split_at_double_dash(const Args& args) {
    const auto separator = std::find(args.begin(), args.end(), "--");
    return {Args(args.begin(), separator), Args(separator == args.end() ? separator : separator + 1, args.end())};
}

}  // namespace vmctl::cli
