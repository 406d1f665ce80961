import ArgumentParser

@main
struct SluiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: pages with backend scripts, on Sluice's own JavaScript engine.",
        version: "sluice (\(Allocator.description))",
        subcommands: [ServeCommand.self, RunCommand.self, CheckCommand.self, BenchCommand.self, Test262Command.self])
}
