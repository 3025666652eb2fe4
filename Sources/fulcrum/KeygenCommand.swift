import ArgumentParser
import Foundation
import ZeroMQ

/// `fulcrum keygen`: writes a CURVE key pair as Z85 text.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a CURVE key pair (Z85) for Fulcrum or one of its clients.",
        discussion: """
            Writes NAME.key (public and secret key, mode 0600) and NAME.pub (public key only) into the \
            output directory. Give Fulcrum's NAME.pub to clients to pin; put each client's public key \
            on Fulcrum's allow-list.
            """
    )

    @Option(name: .shortAndLong, help: "Directory to write the key files into.")
    var out: String = "."

    @Option(name: .shortAndLong, help: "Base name of the key files.")
    var name: String = "fulcrum"

    func run() throws {
        let pair = try CurveKeyPair.generate()
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let secretFile = directory.appendingPathComponent("\(name).key")
        let publicFile = directory.appendingPathComponent("\(name).pub")
        let secretText = "public-key \(pair.publicKey.z85)\nsecret-key \(pair.secretKey.z85)\n"
        guard FileManager.default.createFile(atPath: secretFile.path, contents: Data(secretText.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(secretFile.path)")
        }
        try Data("public-key \(pair.publicKey.z85)\n".utf8).write(to: publicFile)
        print("public key: \(pair.publicKey.z85)")
        print("wrote \(secretFile.path) (keep secret) and \(publicFile.path)")
    }
}
