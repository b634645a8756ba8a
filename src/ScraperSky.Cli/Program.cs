using ScraperSky.Cli;

return await CliApplication.RunAsync(args);
