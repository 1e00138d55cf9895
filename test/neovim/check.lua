-- Run after an init file of this folder (init-0.7.lua, init-0.8.lua: the setups the README shows) has opened the
-- file: waits for upgrade-lint's diagnostics, asks for a hover, and writes what the editor received as JSON.
-- Inputs come from environment variables set by neovim.test.ts.
local result_path = os.getenv('UL_RESULT')
local hover_line = tonumber(os.getenv('UL_HOVER_LINE'))
local hover_col = tonumber(os.getenv('UL_HOVER_COL'))
local buf = vim.api.nvim_get_current_buf()

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

local clients = {}
for _, c in pairs(vim.lsp.buf_get_clients(buf)) do table.insert(clients, c.name) end
local v = vim.version()
local f = io.open(result_path, 'w')
f:write(vim.fn.json_encode({
  waited = waited, diagnostics = diags, hover = hover, filetype = vim.bo[buf].filetype, clients = clients,
  nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
}))
f:close()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.cmd('qall!')
