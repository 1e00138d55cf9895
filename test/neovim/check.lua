-- Drives upgrade-lint-server from Neovim 0.7's built-in LSP client (headless) and writes what the editor
-- received as JSON. Inputs come from environment variables set by neovim.test.ts.
local server = os.getenv('UL_SERVER')
local file = os.getenv('UL_FILE')
local result_path = os.getenv('UL_RESULT')
local hover_line = tonumber(os.getenv('UL_HOVER_LINE'))
local hover_col = tonumber(os.getenv('UL_HOVER_COL'))

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = os.getenv('UL_FILETYPE')

local id = vim.lsp.start_client({
  name = 'upgrade-lint',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(buf, id)

local waited = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local diags = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data and d.user_data.lsp) or {}
  table.insert(diags, {
    code = d.code or lsp.code, source = d.source or lsp.source, lnum = d.lnum, col = d.col,
    end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, message = d.message,
  })
end

local hover = vim.NIL
local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = hover_line, character = hover_col },
}, 10000)
if res then
  for _, r in pairs(res) do
    if r.result then hover = r.result.contents end
  end
end

local f = io.open(result_path, 'w')
f:write(vim.fn.json_encode({ waited = waited, diagnostics = diags, hover = hover }))
f:close()
vim.lsp.stop_client(id)
vim.cmd('qall!')
