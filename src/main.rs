//! casedesk: parse the command line, run, exit with the command's code.

/// mimalloc: making a million-case desk allocates many small strings on two
/// threads, where it is markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = casedesk::cli::parse();
    std::process::exit(casedesk::service::main(cli));
}
