import ArgumentParser
import Foundation
import StrataProfiles

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List, show and validate encoding profiles.",
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles in the profiles folder.")
        @OptionGroup var location: ProfileLocation

        func run() throws {
            let library = location.library
            for name in library.names() {
                let summary: String
                do {
                    let profile = try library.load(named: name)
                    summary = profile.renditions.map { "\($0.name)@\(BitRate.format($0.bitrate))" }.joined(separator: " ")
                } catch {
                    summary = "INVALID: \(error)"
                }
                print("\(name)\t\(summary)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a profile with every default filled in, as JSON.")
        @Argument(help: "A profile name or file path.") var profile: String
        @OptionGroup var location: ProfileLocation

        func run() throws {
            do {
                try printJSON(try location.library.resolve(profile))
            } catch let error as ProfileError {
                throw fail(error.description, status: 78)
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check profile files; prints each problem with the file, line and key path.")
        @Argument(help: "Profile files (YAML or JSON).") var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let profile = try ProfileParser.load(contentsOf: file)
                    print("\(file): ok (\(profile.renditions.count) renditions)")
                } catch {
                    FileHandle.standardError.write(Data("strata: error: \(error)\n".utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode(78) }
        }
    }
}
