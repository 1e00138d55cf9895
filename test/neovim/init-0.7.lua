-- upgrade-lint in Neovim 0.7 (no plugins): the three file types, and the server started on the first of their
-- buffers and attached to each (vim.lsp.start_client + vim.lsp.buf_attach_client).
vim.g.do_filetype_lua = 1 -- 0.7 only: detect file types with filetype.lua, which reads vim.filetype.add
vim.filetype.add({
  extension = { meta = 'acns-meta' },
  filename = {
    ['dfc.properties'] = 'cupm-properties',
    ['upgrade-manifest.yaml'] = 'upgrade-manifest',
    ['upgrade-manifest.yml'] = 'upgrade-manifest',
  },
  pattern = { ['.*%.upgrade%.ya?ml'] = 'upgrade-manifest' },
})
local upgrade_lint
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'acns-meta', 'cupm-properties', 'upgrade-manifest' },
  callback = function(args)
    if not (upgrade_lint and vim.lsp.get_client_by_id(upgrade_lint)) then
      upgrade_lint = vim.lsp.start_client({
        name = 'upgrade-lint',
        cmd = { 'upgrade-lint-server', '--stdio' },
        root_dir = vim.fn.getcwd(),
      })
    end
    vim.lsp.buf_attach_client(args.buf, upgrade_lint)
  end,
})
