fn main() -> std::process::ExitCode {
    copydesk::app::main()
}
