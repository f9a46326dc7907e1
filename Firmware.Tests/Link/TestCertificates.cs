using System.Diagnostics;
using ChargerFirmware.VirtualHardware.Mqtt;
using Xunit;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// A throw-away PKI made with openssl in a temp folder: a CA, a broker certificate it signs for
/// 127.0.0.1 / localhost, and a second, unrelated CA to show that a wrong CA is refused. EC P-256
/// keys, valid two days. Readable by everyone: mosquitto started as root reads them as its own user.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pki-").FullName;

    public TestCertificates()
    {
        MakeCa("ca", "ChargerFirmware test CA");
        MakeCa("wrong-ca", "Unrelated test CA");
        OpenSsl("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj /CN=localhost");
        File.WriteAllText(
            Path.Combine(_directory, "server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
        OpenSsl("x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile server.ext");

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(_directory, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (string file in Directory.GetFiles(_directory))
        {
            File.SetUnixFileMode(file, readable);
        }
    }

    public string CaPath => Path.Combine(_directory, "ca.crt");
    public string ServerCertificatePath => Path.Combine(_directory, "server.crt");
    public string ServerKeyPath => Path.Combine(_directory, "server.key");

    /// <summary>The broker's TLS files for <see cref="Mosquitto"/>.</summary>
    public MosquittoTls Files => new(CaPath, ServerCertificatePath, ServerKeyPath);
    public string CaPem => File.ReadAllText(CaPath);
    public string WrongCaPem => File.ReadAllText(Path.Combine(_directory, "wrong-ca.crt"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void MakeCa(string name, string subject)
    {
        OpenSsl($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout {name}.key -out {name}.crt -days 2 "
            + $"-subj \"/CN={subject}\" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    }

    private void OpenSsl(string arguments)
    {
        Assert.True(File.Exists("/usr/bin/openssl") || File.Exists("/usr/local/bin/openssl"), "openssl is not installed: the TLS test needs it to make its certificates");
        var start = new ProcessStartInfo("openssl", arguments)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(20_000), "openssl " + arguments + " did not finish");
        Assert.True(process.ExitCode == 0, $"openssl {arguments} failed: {error.Result}");
    }
}
