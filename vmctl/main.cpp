// vmctl's executable: a thin driver. Everything it does lives in the
// libraries; main only wires the real libvirt adapter into the CLI.

#include "vmctl/cli/command.h"
#include "vmctl/virt/libvirt_hypervisor.h"

#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    // A daemon that closed its end (a lab host taken down) must give an
    // error on the next call, not kill vmctl: libvirt asks for this.
    std::signal(SIGPIPE, SIG_IGN);
    const vmctl::cli::Args args(argv + 1, argv + argc);
    return vmctl::cli::run_cli(args, std::cout, std::cerr, vmctl::virt::connect);
}
