import Foundation
import Hummingbird

/// The small HTML page a browser gets instead of the player when it may not watch (403 for a missing or invalid
/// playback token), with the same status and code as the API's JSON error.
enum ViewerErrorPage {
    static func response(_ error: any Error) -> Response {
        let failure = error as? APIError ?? APIError(.forbidden, "forbidden", "this video cannot be watched here")
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Cannot play this video</title>
            <style>body{margin:0;display:grid;place-items:center;min-height:100vh;background:#111;color:#eee;font:16px system-ui,sans-serif}main{max-width:32rem;padding:1rem;text-align:center}</style>
            </head><body><main data-error-code="\(escape(failure.code))"><h1>Cannot play this video</h1><p>\(escape(failure.message))</p></main></body></html>
            """
        return Response(status: failure.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
