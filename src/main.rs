fn main() -> std::process::ExitCode {
    mongooseimctl::run(std::env::args_os())
}
