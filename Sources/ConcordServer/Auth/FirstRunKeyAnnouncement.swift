import Foundation

/// Shows the admin key made on a first run, once: on the terminal, never through the logger (log pipelines keep
/// what they get). Later starts find a key in the store and print nothing.
enum FirstRunKeyAnnouncement {
    static func print(_ key: String) {
        let announcement =
            """
            No API key existed yet, so this first run made an admin key. It is shown only now and stored only as a hash:

                \(key)

            Use it as 'Authorization: Bearer <key>'. Make more with 'concord keys create --user NAME'.

            """
        // Unbuffered, so the key shows even when stdout is a file or a pipe.
        FileHandle.standardOutput.write(Data(announcement.utf8))
    }
}
