using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScraperSky.Server.Tests.Api;

namespace ScraperSky.Server.Tests.Hosting;

public sealed class RequestSchedulingTests(SqliteApiFixture fixture) : IClassFixture<SqliteApiFixture>
{
    [Fact]
    public void The_server_runs_a_request_on_the_thread_that_read_its_socket()
    {
        var sockets = fixture.Factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

        Assert.True(sockets.UnsafePreferInlineScheduling);
    }
}
