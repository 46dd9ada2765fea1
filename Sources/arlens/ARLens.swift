import ArgumentParser
import ARLensKit
import ARModel
import Foundation

/// The `arlens` command: each subcommand parses its arguments, makes one library call
/// (ARLensKit) and prints the result. Exit codes: 0 success, 1 bad input or a runtime
/// failure, 2 bad usage, 3 `precheck` found a draft that must not be sent.
struct ARLens: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arlens",
        abstract: "Accounts-receivable analytics: load and check a ledger, age it, measure it, report it.",
        version: "0.1.0",
        subcommands: [PackCommand.self, SlidesCommand.self, TodayCommand.self, PrecheckCommand.self, Validate.self, Summary.self, KPICommand.self, AgingCommand.self, RollForwardCommand.self,
                      ChartCommand.self, ForecastCommand.self, AnomaliesCommand.self, BenfordCommand.self, WorklistCommand.self,
                      FeesCommand.self, PlanCommand.self, CreditCommand.self, TeamCommand.self, NoticesCommand.self, CustomerCommand.self,
                      StatementCommand.self, WhatIfCommand.self, ProvisionCommand.self, PolicyCommand.self, ReconcileCommand.self, ImportCommand.self, CacheCommand.self, ExportCommand.self, Generate.self,
                      DemoCommand.self, TemplatesCommand.self, GalleryCommand.self, ReferenceCommand.self]
    )
}

@main
enum Main {
    static func main() {
        Profile.start()
        var command: ParsableCommand
        do {
            command = try ARLens.parseAsRoot()
            Profile.mark("arguments")
        } catch {
            // Anything ArgumentParser reports (unknown flag, bad value, --help) is usage.
            let code = ARLens.exitCode(for: error)
            let message = ARLens.fullMessage(for: error)
            if code == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data(usageLine(error).utf8))
            exit(2)
        }
        do {
            try command.run()
            Profile.mark("after the command (freeing)")
            Profile.report()
        } catch let e as ExitCode {
            exit(e.rawValue)
        } catch {
            // ArgumentParser's own outcomes: help (0) and validation (usage, 2).
            let code = ARLens.exitCode(for: error)
            if code == .success {
                print(ARLens.fullMessage(for: error))
                exit(0)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data(usageLine(error).utf8))
                exit(2)
            }
            // Everything else is one line; a runtime failure exits 1, never 2.
            let e = ARLensError.from(error)
            FileHandle.standardError.write(Data("arlens: \(e)\n".utf8))
            exit(e.exitCode)
        }
    }
}

/// Usage errors in the one style of every error: "arlens: error: what; see arlens CMD --help".
func usageLine(_ error: Error) -> String {
    let message = ARLens.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
    let full = ARLens.fullMessage(for: error)
    var hint = "arlens --help"
    if let r = full.range(of: "See '"), let end = full[r.upperBound...].firstIndex(of: "'") { hint = String(full[r.upperBound..<end]) }
    return "arlens: error: \(message.prefix(1).lowercased() + message.dropFirst()); see \(hint)\n"
}
