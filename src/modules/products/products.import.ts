import type { ImportDeclaration } from '../imports/declaration.js';

/** Products' imports: the header names of a price list ("Mã hàng", "ĐVT", "Đơn giá"…). */
export const productsImport: ImportDeclaration = {
  hints: {
    sku: [
      'ma',
      'ma hang',
      'ma sp',
      'ma san pham',
      'ma vat tu',
      'sku',
      'code',
      'item code',
      'product code',
    ],
    name: [
      'ten hang',
      'ten san pham',
      'ten sp',
      'ten vat tu',
      'san pham',
      'hang hoa',
      'product',
      'product name',
      'item',
    ],
    unit: ['dvt', 'don vi tinh', 'don vi', 'unit', 'uom'],
    unitPrice: ['don gia', 'gia', 'gia ban', 'gia niem yet', 'price', 'unit price'],
    costPrice: ['gia von', 'gia nhap', 'cost', 'cost price'],
    vatRate: ['vat', 'thue', 'thue suat', 'thue gtgt', 'vat rate', 'tax rate'],
    category: ['nhom hang', 'nhom', 'loai', 'danh muc', 'category'],
    description: ['mo ta', 'ghi chu', 'description', 'notes'],
    active: ['dang ban', 'con ban', 'trang thai', 'active'],
  },
};
