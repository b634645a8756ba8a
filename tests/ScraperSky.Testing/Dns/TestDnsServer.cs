using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScraperSky.Testing.Dns;

/// A small authoritative DNS server on loopback UDP answering MX and A queries from a table, for the MX checks of a
/// scan (`Scanning:DnsServer` = <see cref="Endpoint"/>). A name in the table answers its records (none of a type is an
/// empty NOERROR answer); a name added with <see cref="Silent"/> never answers (a resolver timing out); any other name is
/// NXDOMAIN. Counts the questions it was asked, per name.
public sealed class TestDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeMx = 15;

    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Zone> _zones = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _silent = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _questions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _loop;

    public TestDnsServer() => _loop = Task.Run(ServeAsync);

    /// `127.0.0.1:<port>`, the value for `Scanning:DnsServer`.
    public string Endpoint => ((IPEndPoint)_socket.Client.LocalEndPoint!).ToString();

    /// Sets a name's records: MX as `(preference, exchange)` (exchange "." is a null MX), A as dotted addresses.
    public TestDnsServer Add(string name, IEnumerable<(ushort Preference, string Exchange)>? mx = null, IEnumerable<string>? a = null)
    {
        _zones[name.TrimEnd('.')] = new Zone([.. mx ?? []], [.. (a ?? []).Select(IPAddress.Parse)]);
        return this;
    }

    /// A name whose questions are never answered.
    public TestDnsServer Silent(string name)
    {
        _silent[name.TrimEnd('.')] = 0;
        return this;
    }

    public int QuestionsFor(string name) => _questions.TryGetValue(name.TrimEnd('.'), out var n) ? n : 0;

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (Answer(received.Buffer) is { } answer)
            {
                await _socket.SendAsync(answer, received.RemoteEndPoint, _stopping.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12 || !TryReadName(query, 12, out var name, out var end) || end + 4 > query.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(end));
        _questions.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (_silent.ContainsKey(name))
        {
            return null;
        }

        var found = _zones.TryGetValue(name, out var zone);
        var records = new List<byte[]>();
        if (found && type == TypeMx)
        {
            records.AddRange(zone!.Mx.Select(m => Record(TypeMx, [.. Be(m.Preference), .. EncodeName(m.Exchange)])));
        }
        else if (found && type == TypeA)
        {
            records.AddRange(zone!.A.Select(a => Record(TypeA, a.GetAddressBytes())));
        }

        var response = new List<byte>();
        response.AddRange(query.AsSpan(0, 2).ToArray());                 // id
        response.AddRange(Be((ushort)(0x8580 | (found ? 0 : 3))));      // QR, AA, RD, RA; NXDOMAIN when unknown
        response.AddRange(Be(1));                                        // one question
        response.AddRange(Be((ushort)records.Count));
        response.AddRange(Be(0));
        response.AddRange(Be(0));
        response.AddRange(query.AsSpan(12, end + 4 - 12).ToArray());     // the question as asked
        foreach (var record in records)
        {
            response.AddRange(record);
        }

        return [.. response];
    }

    private static byte[] Record(ushort type, byte[] data) =>
        [0xC0, 0x0C, .. Be(type), .. Be(1), 0, 0, 0x01, 0x2C, .. Be((ushort)data.Length), .. data];

    private static byte[] Be(ushort value) => [(byte)(value >> 8), (byte)value];

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var ascii = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)ascii.Length);
            bytes.AddRange(ascii);
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static bool TryReadName(byte[] message, int offset, out string name, out int end)
    {
        var labels = new List<string>();
        name = string.Empty;
        end = offset;
        while (end < message.Length && message[end] != 0)
        {
            var length = message[end];
            if (length > 63 || end + 1 + length > message.Length)
            {
                return false;
            }

            labels.Add(Encoding.ASCII.GetString(message, end + 1, length));
            end += 1 + length;
        }

        end++;
        name = string.Join('.', labels);
        return end <= message.Length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stopping.Dispose();
    }

    private sealed record Zone(List<(ushort Preference, string Exchange)> Mx, List<IPAddress> A);
}
