using ScraperSky.Cli;

return await CliApplication.Create().Parse(args).InvokeAsync();
