using System.CommandLine;

var root = new RootCommand("ScraperSky command line");
return await root.Parse(args).InvokeAsync();
