import Foundation
import GRDB
import _NIOFileSystem

/// Recognises failures that mean the disk (or the user's quota) is full, wherever they come from:
/// SQLite, Foundation, or NIO's file system (which nests the system call's errno).
enum StorageFailure {
    static func isDiskFull(_ error: any Error) -> Bool {
        switch error {
        case let error as DatabaseError:
            return error.resultCode == .SQLITE_FULL
        case let error as FileSystemError.SystemCallError:
            return error.errno == .noSpace || error.errno == .diskQuotaExceeded
        case let error as FileSystemError:
            return error.cause.map(isDiskFull) ?? false
        case let error as CocoaError where error.code == .fileWriteOutOfSpace:
            return true
        default:
            let error = error as NSError
            if error.domain == NSPOSIXErrorDomain { return error.code == Int(ENOSPC) || error.code == Int(EDQUOT) }
            return (error.userInfo[NSUnderlyingErrorKey] as? any Error).map(isDiskFull) ?? false
        }
    }
}
