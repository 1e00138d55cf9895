-- upgrade-lint in Neovim 0.8 and later (no plugins): the three file types, and vim.lsp.start on each of their
-- buffers (it starts the server once per root folder and attaches the buffer).
vim.filetype.add({
  extension = { meta = 'acns-meta' },
  filename = {
    ['dfc.properties'] = 'cupm-properties',
    ['upgrade-manifest.yaml'] = 'upgrade-manifest',
    ['upgrade-manifest.yml'] = 'upgrade-manifest',
  },
  pattern = { ['.*%.upgrade%.ya?ml'] = 'upgrade-manifest' },
})
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'acns-meta', 'cupm-properties', 'upgrade-manifest' },
  callback = function(args)
    local marker = vim.fs.find({ '.upgrade-lint.json', '.git' }, { upward = true, path = vim.fs.dirname(args.file) })[1]
    vim.lsp.start({
      name = 'upgrade-lint',
      cmd = { 'upgrade-lint-server', '--stdio' },
      root_dir = marker and vim.fs.dirname(marker) or vim.fn.getcwd(),
    })
  end,
})
