import ArgumentParser
import ARLoading
import Foundation

/// The `arlens` command: subcommands translate arguments into one library call and errors
/// into exit codes (0 success, 1 bad input, 2 bad usage).
struct ARLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arlens",
        abstract: "Accounts-receivable analytics: load and check a ledger, age it, measure it, report it.",
        version: "0.1.0",
        subcommands: [PackCommand.self, Validate.self, Summary.self, KPICommand.self, AgingCommand.self, RollForwardCommand.self, ChartCommand.self, ForecastCommand.self, AnomaliesCommand.self, BenfordCommand.self, WorklistCommand.self, FeesCommand.self, PlanCommand.self, CreditCommand.self, TeamCommand.self, NoticesCommand.self, CustomerCommand.self, StatementCommand.self, WhatIfCommand.self, PolicyCommand.self, ReconcileCommand.self, Generate.self, GalleryCommand.self]
    )
}

@main
enum Main {
    static func main() {
        do {
            var command = try ARLens.parseAsRoot()
            try command.run()
        } catch let e as CLIFailure {
            FileHandle.standardError.write(Data("arlens: \(e.message)\n".utf8))
            exit(e.code)
        } catch let e as LoadError {
            FileHandle.standardError.write(Data("arlens: error: \(e.description)\n".utf8))
            exit(1)
        } catch {
            let code = ARLens.exitCode(for: error)
            let message = ARLens.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            // Anything ArgumentParser reports (unknown flag, bad value) is a usage error.
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            exit(code == .validationFailure ? 2 : (error is ExitCode ? code.rawValue : 2))
        }
    }
}

/// A failure with its exit code and a one-line message.
struct CLIFailure: Error {
    var code: Int32
    var message: String
}
