#!/usr/bin/env node
'use strict';
require('./code-cache.js').load(require('node:path').join(__dirname, '..', 'dist', 'server.js'), 2000);
