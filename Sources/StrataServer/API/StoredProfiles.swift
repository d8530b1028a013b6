import Foundation
import Hummingbird
import StrataProfiles

/// Profiles named by API clients: always a plain name in the profiles folder (`ProfileName`), never a
/// path; errors never echo the content of a stored file the caller did not send.
extension ServerState {
    /// Profile `name` from the profiles folder: 400 for anything that is not a plain name, 404 for an
    /// unknown one, 422 for a stored file that does not validate (its details go to the log, not the client).
    func storedProfile(named name: String) throws -> EncodingProfile {
        let name = try ServerState.profileName(name)
        guard profiles.file(named: name) != nil else {
            let known = profiles.names()
            throw APIError(.notFound, "invalid_profile",
                           "no profile named '\(name)'" + (known.isEmpty ? "" : "; known profiles: \(known.joined(separator: ", "))"))
        }
        do {
            return try profiles.load(named: name)
        } catch {
            // The file's values stay on the server: the operator reads them in the log.
            logger.error("stored profile is invalid", metadata: ["profile": "\(name)", "error": "\(error.description)"])
            throw APIError(.unprocessableContent, "invalid_profile",
                           "the stored profile '\(name)' is invalid; replace it with PUT /v1/profiles/\(name) (the server log says what is wrong)")
        }
    }

    /// `name` when it is a usable profile name, else a 400 that states the rule.
    static func profileName(_ name: String) throws -> String {
        guard ProfileName.isValid(name) else {
            throw APIError.badRequest("'\(name)' is not a usable profile name; use \(ProfileName.rule)")
        }
        return name
    }
}
